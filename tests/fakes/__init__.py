"""One in-memory fake per port, shared by every unit test.

Each passes the same contract suite as its AWS adapter (tests/contracts/), so a unit test
on a fake proves what it would on the real thing.
"""

from tests.fakes.batch_store import InMemoryBatchStore
from tests.fakes.event_publisher import RecordingPublisher
from tests.fakes.host_gate import InMemoryHostGate
from tests.fakes.idempotency_store import InMemoryIdempotencyStore
from tests.fakes.job_files import InMemoryJobFiles
from tests.fakes.job_store import InMemoryJobStore
from tests.fakes.parameters import InMemoryParameters
from tests.fakes.window_counter import InMemoryWindowCounter
from tests.fakes.work_queue import InMemoryWorkQueue

__all__ = [
    "InMemoryHostGate",
    "InMemoryBatchStore",
    "InMemoryIdempotencyStore",
    "InMemoryJobFiles",
    "InMemoryJobStore",
    "InMemoryParameters",
    "InMemoryWindowCounter",
    "InMemoryWorkQueue",
    "RecordingPublisher",
]
