"""The AWS adapters pass the ports' contracts on the local AWS (LocalStack + moto), as the fakes do."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from services.common.adapters.dynamo_host_gate import DynamoHostGate
from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.dynamo_window_counter import DynamoWindowCounter
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.s3_job_files import S3JobFiles
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.adapters.ssm_parameters import SsmParameters
from services.common.aws import AwsClients, aws_clients
from services.common.settings import CommonSettings
from tests.contracts.host_gate_contract import HostGateContract
from tests.contracts.job_store_contract import JobStoreContract
from tests.contracts.port_contracts import (
    EventPublisherContract,
    JobFilesContract,
    ParametersContract,
    WorkQueueContract,
)
from tests.contracts.window_counter_contract import WindowCounterContract

pytestmark = pytest.mark.integration


@pytest.fixture
async def aws(aws_env: dict[str, str]) -> AsyncIterator[AwsClients]:
    async with aws_clients(aws_env["AWS_REGION"], "dynamodb", "sqs", "s3", "events", "ssm") as clients:
        yield clients


@pytest.fixture
def common(aws_env: dict[str, str]) -> CommonSettings:
    return CommonSettings()


class TestDynamoJobStore(JobStoreContract):
    @pytest.fixture
    def store(self, aws: AwsClients, common: CommonSettings) -> DynamoJobStore:
        return DynamoJobStore(aws.dynamodb, common.jobs_table)


class TestDynamoHostGate(HostGateContract):
    @pytest.fixture
    def gate(self, aws: AwsClients, common: CommonSettings) -> DynamoHostGate:
        return DynamoHostGate(aws.dynamodb, common.jobs_table)


class TestEventBridgePublisher(EventPublisherContract):
    @pytest.fixture(params=[1, 10], ids=["single", "batched"])
    def publisher(
        self, aws: AwsClients, common: CommonSettings, request: pytest.FixtureRequest
    ) -> EventBridgePublisher:
        return EventBridgePublisher(aws.events, common.event_bus, batch_size=request.param)


class TestS3JobFiles(JobFilesContract):
    @pytest.fixture
    def files(self, aws: AwsClients, common: CommonSettings) -> S3JobFiles:
        return S3JobFiles(aws.s3, common.bucket, cache_control="max-age=60")

    async def test_objects_are_encrypted_and_the_presigned_link_serves_them(
        self, files: S3JobFiles, boto: Any
    ) -> None:
        """Every object is encrypted with the bucket's default and has its cache header; the presigned GET serves it.

        The adapter sends no encryption header: the object gets what the bucket's default
        says (the customer KMS key when deployed; SSE-S3, AES256, on the local AWS, which has
        no default KMS key).
        """
        key = f"jobs/{uuid.uuid4()}/square.jpg"
        await files.put(key, b"jpeg-bytes", "image/jpeg")
        head = boto.s3.head_object(Bucket=files.bucket, Key=key)
        (rule,) = boto.s3.get_bucket_encryption(Bucket=files.bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        default = rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
        assert head["ServerSideEncryption"] == default and head["CacheControl"] == "max-age=60"
        async with httpx.AsyncClient() as http:
            response = await http.get(await files.presign_get(key, expires_in=60))
            saved = await http.get(await files.presign_get(key, expires_in=60, download_as="batch-1-images.zip"))
        assert response.status_code == 200 and response.content == b"jpeg-bytes"
        assert "content-disposition" not in response.headers  # an image link opens in the browser
        assert saved.headers["content-disposition"] == 'attachment; filename="batch-1-images.zip"'


class TestS3JobFilesVersions:
    @pytest.fixture
    def versioned(self, aws: AwsClients, boto: Any) -> Iterator[S3JobFiles]:
        name = f"itest-versions-{uuid.uuid4().hex[:8]}"
        boto.s3.create_bucket(Bucket=name)
        boto.s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        yield S3JobFiles(aws.s3, name)
        listed = boto.s3.list_object_versions(Bucket=name)
        left = [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]
        for entry in left:
            boto.s3.delete_object(Bucket=name, Key=entry["Key"], VersionId=entry["VersionId"])
        boto.s3.delete_bucket(Bucket=name)

    async def test_deleting_a_key_removes_every_version_and_leaves_its_neighbours(
        self, versioned: S3JobFiles, boto: Any
    ) -> None:
        """An overwritten key loses all its versions (no delete marker left); a longer key sharing its prefix stays."""
        job = f"jobs/{uuid.uuid4()}"
        await versioned.put(f"{job}/square.jpg", b"v1", "image/jpeg")
        await versioned.put(f"{job}/square.jpg", b"v2", "image/jpeg")
        await versioned.put(f"{job}/square.jpg.bak", b"other", "image/jpeg")
        await versioned.delete([f"{job}/square.jpg", f"{job}/never.png"])
        listed = boto.s3.list_object_versions(Bucket=versioned.bucket, Prefix=job)
        left = [(v["Key"]) for v in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]]
        assert left == [f"{job}/square.jpg.bak"]


class TestSqsWorkQueue(WorkQueueContract):
    @pytest.fixture
    def fresh_queue(self, boto: Any) -> Iterator[str]:
        name = f"itest-contract-{uuid.uuid4().hex[:8]}"
        dlq = boto.sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
        arn = boto.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        policy = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})
        url = boto.sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": policy})["QueueUrl"]
        yield name
        for queue_url in (url, dlq):
            boto.sqs.delete_queue(QueueUrl=queue_url)

    @pytest.fixture
    def queues(self, aws: AwsClients, fresh_queue: str) -> tuple[SqsWorkQueue, str]:
        return SqsWorkQueue(aws.sqs), fresh_queue


class TestSsmParameters(ParametersContract):
    @pytest.fixture
    def parameters(self, aws: AwsClients, boto: Any) -> Iterator[tuple[SsmParameters, str]]:
        name = f"/productshot/itest/secret-{uuid.uuid4().hex[:8]}"
        boto.ssm.put_parameter(Name=name, Value="s3cr3t", Type="SecureString")
        yield SsmParameters(aws.ssm), name
        boto.ssm.delete_parameter(Name=name)


class TestDynamoWindowCounter(WindowCounterContract):
    @pytest.fixture
    def counter(self, aws: AwsClients, common: CommonSettings) -> DynamoWindowCounter:
        return DynamoWindowCounter(aws.dynamodb, common.jobs_table)
