"""An ApiState on the shared in-memory fakes (tests/fakes/), for the API's unit tests."""

from __future__ import annotations

from typing import Any

from services.api.app import batch_parts, build_limiter
from services.api.auth import ApiKeyRing, hash_key
from services.api.idempotency import IdempotencyGuard
from services.api.job_removal import JobRemover
from services.api.presign import Presigner
from services.api.rate_limit import TokenBuckets
from services.api.review_answers import ReviewDesk
from services.api.settings import ApiSettings
from services.api.state import ApiState
from services.common.job_submitter import JobSubmitter
from services.common.settings import CommonSettings
from services.common.source_image import SourceImageStore
from tests.fakes import (
    InMemoryBatchStore,
    InMemoryIdempotencyStore,
    InMemoryJobFiles,
    InMemoryJobStore,
    InMemoryWindowCounter,
    InMemoryWorkQueue,
    RecordingPublisher,
)


def fake_state(**settings: Any) -> tuple[ApiState, InMemoryJobStore, InMemoryWorkQueue, RecordingPublisher]:
    """An ApiState on fakes; tenants 'acme' (key 'acme-key') and 'globex' (key 'globex-key')."""
    api_settings = ApiSettings(**settings)
    store, queue, publisher, files = InMemoryJobStore(), InMemoryWorkQueue(), RecordingPublisher(), InMemoryJobFiles()
    keys = ApiKeyRing([("acme", hash_key("acme-key")), ("globex", hash_key("globex-key"))])
    state = ApiState(
        common=CommonSettings(),
        settings=api_settings,
        store=store,
        queue=queue,
        files=files,
        keys=keys,
        submitter=JobSubmitter(
            store=store,
            publisher=publisher,
            queue=queue,
            scrape_queue="scrape-requests",
            ttl_hours=1,
        ),
        presigner=Presigner(files, 900),
        buckets=TokenBuckets(api_settings.rate_limit_per_second, api_settings.rate_limit_burst),
        limiter=build_limiter(InMemoryWindowCounter(), api_settings, store, CommonSettings()),
        idempotency=IdempotencyGuard(InMemoryIdempotencyStore(), wait_seconds=0.5, poll_seconds=0.01),
        source_images=SourceImageStore(None, files),  # type: ignore[arg-type]  # no imageUrl in these tests
        remover=JobRemover(store, files),
        reviews=ReviewDesk(store=store, publisher=publisher),
        **batch_parts(InMemoryBatchStore(), files, queue, CommonSettings(), api_settings),
    )
    return state, store, queue, publisher
