"""The contracts of the smaller ports: event publisher, job files, work queue, parameters."""

from __future__ import annotations

import json
import uuid
from typing import Any

import jsonschema
import pytest

from services.common.errors import ParameterNotFoundError
from services.common.events import SCHEMAS_DIR, DetailType, EventPublisher
from services.common.job_files import JobFiles, source_image_key
from services.common.parameters import Parameters
from services.common.work_queue import DeadLetterMover, WorkQueue

__all__ = ["EventPublisherContract", "JobFilesContract", "WorkQueueContract", "ParametersContract"]


def _example(detail_type: DetailType) -> dict[str, Any]:
    schema = json.loads((SCHEMAS_DIR / detail_type.value / "v1.json").read_text(encoding="utf-8"))
    example: dict[str, Any] = schema["examples"][0]
    return example


class EventPublisherContract:
    @pytest.fixture
    def publisher(self) -> EventPublisher:
        raise NotImplementedError

    async def test_a_valid_event_is_published_and_an_invalid_one_refused(self, publisher: EventPublisher) -> None:
        """A detail its schema accepts is published; one that breaks it raises ValidationError."""
        await publisher.publish(DetailType.JOB_ACCEPTED, _example(DetailType.JOB_ACCEPTED), source="productshot.api")
        with pytest.raises(jsonschema.ValidationError):
            await publisher.publish(DetailType.JOB_FAILED, _example(DetailType.JOB_FAILED) | {"stage": "nowhere"},
                                    source="productshot.api")


class JobFilesContract:
    @pytest.fixture
    def files(self) -> JobFiles:
        raise NotImplementedError

    async def test_a_file_reads_back_whole_and_a_missing_one_is_none(self, files: JobFiles) -> None:
        """put then get returns the same bytes; an unknown key is None."""
        job_id = str(uuid.uuid4())
        key = source_image_key(job_id, "image/png")
        assert key == f"jobs/{job_id}/source.png"
        await files.put(key, b"\x89PNG-bytes", "image/png")
        assert await files.get(key) == b"\x89PNG-bytes"
        assert await files.get(f"jobs/{job_id}/nothing.png") is None
        await files.check()

    async def test_a_jobs_files_are_listed_by_prefix_and_deleted(self, files: JobFiles) -> None:
        """keys_under lists only the job's own keys; delete removes them (a missing key is no error)."""
        job_id, other = str(uuid.uuid4()), str(uuid.uuid4())
        for key in (f"jobs/{job_id}/a.png", f"jobs/{job_id}/b.png", f"jobs/{other}/a.png"):
            await files.put(key, b"x", "image/png")
        keys = await files.keys_under(f"jobs/{job_id}/")
        assert sorted(keys) == [f"jobs/{job_id}/a.png", f"jobs/{job_id}/b.png"]
        await files.delete([*keys, f"jobs/{job_id}/never.png"])
        assert await files.keys_under(f"jobs/{job_id}/") == []
        assert await files.get(f"jobs/{other}/a.png") == b"x"

    async def test_a_presigned_link_names_the_bucket_and_the_object(self, files: JobFiles) -> None:
        """presign_get gives an https/http URL that names the bucket and the key."""
        url = await files.presign_get("jobs/x/square.jpg", expires_in=900)
        assert url.startswith(("https://", "http://")) and "jobs/x/square.jpg" in url and files.bucket in url

    async def test_a_file_streams_back_in_chunks_and_a_missing_one_is_none(self, files: JobFiles) -> None:
        """open_stream yields the object's bytes in order (joined, the same bytes); unknown key: None."""
        key = f"jobs/{uuid.uuid4()}/square.jpg"
        data = bytes(range(256)) * 4096  # 1 MiB, more than one chunk
        await files.put(key, data, "image/jpeg")
        stream = await files.open_stream(key)
        assert stream is not None
        assert b"".join([chunk async for chunk in stream]) == data
        assert await files.open_stream(f"jobs/{uuid.uuid4()}/none.jpg") is None

    async def test_a_multipart_upload_appears_only_when_completed(self, files: JobFiles) -> None:
        """Parts (5 MiB, then a short last one) join in order on complete; before it nothing is there."""
        key = f"batches/{uuid.uuid4()}/archive.zip"
        first, last = b"a" * (5 * 1024 * 1024), b"b" * 10
        upload = await files.create_multipart(key, "application/zip")
        etags = [await files.upload_part(key, upload, 1, first), await files.upload_part(key, upload, 2, last)]
        assert await files.get(key) is None
        await files.complete_multipart(key, upload, etags)
        assert await files.get(key) == first + last

    async def test_an_aborted_multipart_upload_leaves_nothing(self, files: JobFiles) -> None:
        """abort drops the parts: no object under the key; aborting again is no error."""
        key = f"batches/{uuid.uuid4()}/archive.zip"
        upload = await files.create_multipart(key, "application/zip")
        await files.upload_part(key, upload, 1, b"part")
        await files.abort_multipart(key, upload)
        await files.abort_multipart(key, upload)
        assert await files.get(key) is None


class WorkQueueContract:
    """``queue`` is a fresh queue whose dead-letter queue is ``queue`` + "-dlq"."""

    @pytest.fixture
    def queues(self) -> tuple[WorkQueue, str]:
        raise NotImplementedError

    async def test_a_sent_message_is_received_hidden_released_and_deleted(self, queues: Any) -> None:
        """receive hands the message out once; visibility 0 hands it out again (count 2); delete ends it."""
        queue, name = queues
        message_id = await queue.send(name, '{"n": 1}')
        [first] = await queue.receive(name, max_messages=10, wait_seconds=1, visibility_timeout=30)
        assert (first.message_id, first.body, first.receive_count) == (message_id, '{"n": 1}', 1)
        assert await queue.receive(name, max_messages=10, wait_seconds=0, visibility_timeout=30) == []
        await queue.change_visibility(name, first.receipt_handle, 0)
        [second] = await queue.receive(name, max_messages=10, wait_seconds=1, visibility_timeout=30)
        assert second.message_id == message_id and second.receive_count == 2
        await queue.delete(name, second.receipt_handle)
        assert await queue.receive(name, max_messages=10, wait_seconds=0, visibility_timeout=0) == []

    async def test_attributes_travel_with_the_message_when_asked_for(self, queues: Any) -> None:
        """String attributes sent come back with with_attributes, and not without."""
        queue, name = queues
        await queue.send(name, "body", attributes={"failureReason": "boom", "sourceQueue": "work"})
        [plain] = await queue.receive(name, max_messages=1, wait_seconds=1, visibility_timeout=0)
        assert plain.attributes == {}
        [full] = await queue.receive(name, max_messages=1, wait_seconds=1, visibility_timeout=30,
                                     with_attributes=True)
        assert full.attributes == {"failureReason": "boom", "sourceQueue": "work"}

    async def test_a_batch_is_sent_entry_by_entry_and_the_dead_letter_queue_is_named(self, queues: Any) -> None:
        """send_batch answers one message id per body; dead_letter_queue names the DLQ; counts add up."""
        queue, name = queues
        ids = await queue.send_batch(name, ["a", "b", "c"])
        assert len(ids) == 3 and all(isinstance(i, str) and i for i in ids)
        assert await queue.dead_letter_queue(name) == f"{name}-dlq"
        mover: DeadLetterMover = queue  # type: ignore[assignment]
        await queue.send(f"{name}-dlq", "dead")
        assert await mover.approximate_count(f"{name}-dlq") == 1
        got = await queue.receive(name, max_messages=10, wait_seconds=1, visibility_timeout=30)
        assert sorted(m.body for m in got) == ["a", "b", "c"]
        await queue.check(name)


class ParametersContract:
    """``parameters`` holds ``name`` = "s3cr3t" (stored encrypted where the store encrypts)."""

    @pytest.fixture
    def parameters(self) -> tuple[Parameters, str]:
        raise NotImplementedError

    async def test_a_secret_reads_back_decrypted_and_a_missing_one_is_not_found(self, parameters: Any) -> None:
        """read_secret returns the stored value; an unknown name raises ParameterNotFoundError."""
        store, name = parameters
        assert await store.read_secret(name) == "s3cr3t"
        with pytest.raises(ParameterNotFoundError):
            await store.read_secret(f"/productshot/itest/missing-{uuid.uuid4().hex[:8]}")
