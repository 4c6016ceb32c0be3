"""The in-memory fakes (tests/fakes/) pass the ports' contracts: unit tests on them prove real behaviour."""

from __future__ import annotations

import uuid

import pytest

from tests.contracts.batch_store_contract import BatchStoreContract
from tests.contracts.host_gate_contract import HostGateContract
from tests.contracts.job_store_contract import JobStoreContract
from tests.contracts.port_contracts import (
    EventPublisherContract,
    JobFilesContract,
    ParametersContract,
    WorkQueueContract,
)
from tests.contracts.window_counter_contract import WindowCounterContract
from tests.fakes import (
    InMemoryBatchStore,
    InMemoryHostGate,
    InMemoryJobFiles,
    InMemoryJobStore,
    InMemoryParameters,
    InMemoryWindowCounter,
    InMemoryWorkQueue,
    RecordingPublisher,
)


class TestInMemoryJobStore(JobStoreContract):
    @pytest.fixture
    def store(self) -> InMemoryJobStore:
        return InMemoryJobStore()


class TestInMemoryBatchStore(BatchStoreContract):
    @pytest.fixture
    def store(self) -> InMemoryBatchStore:
        return InMemoryBatchStore()


class TestRecordingPublisher(EventPublisherContract):
    @pytest.fixture
    def publisher(self) -> RecordingPublisher:
        return RecordingPublisher()


class TestInMemoryJobFiles(JobFilesContract):
    @pytest.fixture
    def files(self) -> InMemoryJobFiles:
        return InMemoryJobFiles("productshot-images")


class TestInMemoryWorkQueue(WorkQueueContract):
    @pytest.fixture
    def queues(self) -> tuple[InMemoryWorkQueue, str]:
        name = f"contract-{uuid.uuid4().hex[:8]}"
        return InMemoryWorkQueue(dead_letter={name: f"{name}-dlq"}), name


class TestInMemoryParameters(ParametersContract):
    @pytest.fixture
    def parameters(self) -> tuple[InMemoryParameters, str]:
        return InMemoryParameters({"/productshot/itest/secret": "s3cr3t"}), "/productshot/itest/secret"


class TestInMemoryWindowCounter(WindowCounterContract):
    @pytest.fixture
    def counter(self) -> InMemoryWindowCounter:
        return InMemoryWindowCounter()


class TestInMemoryHostGate(HostGateContract):
    @pytest.fixture
    def gate(self) -> InMemoryHostGate:
        return InMemoryHostGate()
