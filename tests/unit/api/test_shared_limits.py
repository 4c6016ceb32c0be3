"""Rate limits and quotas shared by every API task, auth-failure throttling, and which client address counts."""

from __future__ import annotations

import json
import zlib
from typing import Any

from starlette.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from services.api.app import create_app
from services.api.auth import ApiKeyRing, hash_key
from services.api.limiter import LimitDefaults, Limiter
from services.api.state import ApiState
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.settings import CommonSettings
from tests.fakes import InMemoryWindowCounter
from tests.unit.api.fakes import fake_state

NOON = 20_834 * 86_400 + 1_800.0  # 00:30 UTC (days start at multiples of 86 400 s)
SEED = "/generative-ai-images/generate"
URL_JOB = {"productUrl": "https://shop.example.com/p/1"}


def _task(counter: InMemoryWindowCounter, *, auth_failures: int = 10, **limits: Any) -> tuple[TestClient, ApiState]:
    """One API task on the shared ``counter``; key 'acme-key' has ``limits``, the clock stands at NOON."""
    state, _, _, _ = fake_state(rate_limit_per_second=0)  # only the shared limits in play
    entry = {"id": "acme-1", "tenant": "acme", "sha256": hash_key("acme-key"), "limits": limits}
    state.keys = ApiKeyRing.from_json(json.dumps([entry]))
    state.limiter = Limiter(
        counter, LimitDefaults(auth_failures_per_minute=auth_failures), clock=lambda: NOON
    )
    return TestClient(create_app(CommonSettings(), state.settings, state=state)), state


ACME = {"Authorization": "Bearer acme-key"}


def test_the_request_rate_holds_across_tasks_with_retry_after_and_the_limit_named() -> None:
    """requestsPerSecond 0.05 on the key (3 per 60 s window): two tasks on one counter let 3 requests
    through in that window between them; the 4th is 429 with Retry-After and a problem body naming the limit."""
    counter = InMemoryWindowCounter()
    (one, _), (two, _) = _task(counter, requestsPerSecond=0.05), _task(counter, requestsPerSecond=0.05)
    with one, two:
        codes = [c.get("/v1/jobs", headers=ACME).status_code for c in (one, two, one)]
        refused = two.get("/v1/jobs", headers=ACME)
    assert codes == [200, 200, 200]
    offset = zlib.crc32(b"rps:key:acme-1") % 60  # each key's 60 s windows start at an offset of its own
    assert refused.status_code == 429 and refused.headers["retry-after"] == str(60 - (int(NOON) + offset) % 60)
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["limit"] == "requestsPerSecond" and "per second" in refused.json()["detail"]


def test_the_daily_job_quota_is_per_tenant_on_every_path_that_starts_work() -> None:
    """jobsPerDay 2: a /v1 job and a seed job pass, the third (either path) is 429 until midnight UTC;
    reading still works, and an idempotent replay of an accepted job does not count."""
    counter = InMemoryWindowCounter()
    client, state = _task(counter, jobsPerDay=2)
    replay = {**ACME, "Idempotency-Key": "order-1234"}
    with client:
        first = client.post("/v1/jobs", json=URL_JOB, headers=replay)
        again = client.post("/v1/jobs", json=URL_JOB, headers=replay)
        seed = client.post(SEED, json=URL_JOB, headers=ACME)
        over = client.post("/v1/jobs", json=URL_JOB, headers=ACME)
        over_seed = client.post(SEED, json=URL_JOB, headers=ACME)
        listing = client.get("/v1/jobs", headers=ACME)
    assert [first.status_code, again.status_code, seed.status_code] == [202, 202, 202]
    assert again.headers["idempotent-replayed"] == "true"
    assert over.status_code == 429 and over.json()["limit"] == "jobsPerDay"
    assert over.headers["retry-after"] == str(86_400 - 1_800)
    assert over_seed.status_code == 429 and set(over_seed.json()) == {"message"}
    assert "daily quota" in over_seed.json()["message"] and over_seed.headers["retry-after"] == str(86_400 - 1_800)
    assert listing.status_code == 200 and len(listing.json()["items"]) == 2


def test_a_refused_retry_spends_no_daily_job() -> None:
    """jobsPerDay 1: retrying a job that has not failed is 409 (twice: the quota was not spent on
    the first), and the tenant's one job of the day is still there to start."""
    counter = InMemoryWindowCounter()
    client, state = _task(counter, jobsPerDay=1)
    done = Job.new(ttl_hours=1, status=JobStatus.COMPLETED, tenant="acme", productUrl="https://a.example/p")
    state.store.jobs[done.jobId] = done  # type: ignore[attr-defined]  # the in-memory store
    with client:
        refused = [client.post(f"/v1/jobs/{done.jobId}/retry", headers=ACME) for _ in range(2)]
        created = client.post("/v1/jobs", json=URL_JOB, headers=ACME)
    assert [r.status_code for r in refused] == [409, 409] and refused[0].json()["jobStatus"] == "completed"
    assert created.status_code == 202


def test_failed_key_checks_are_throttled_per_address_even_for_a_right_guess() -> None:
    """After 3 wrong keys from one address (limit 3/min) the next is 429 naming authFailures, and
    so is the right key from that address; another address is unaffected."""
    counter = InMemoryWindowCounter()
    client, _ = _task(counter, auth_failures=3)
    other, _ = _task(counter, auth_failures=3)
    other.client = ("198.51.100.20", 5000)  # type: ignore[attr-defined]  # TestClient's peer address
    with client, other:
        guesses = [client.get("/v1/jobs", headers={"Authorization": f"Bearer guess-{n}"}).status_code
                   for n in range(4)]
        right = client.get("/v1/jobs", headers=ACME)
        elsewhere = other.get("/v1/jobs", headers=ACME)
        keyless = other.get("/v1/jobs")
    assert guesses == [401, 401, 401, 429]
    assert right.status_code == 429 and right.json()["limit"] == "authFailures"
    assert elsewhere.status_code == 200 and keyless.status_code == 401
    assert not [b for b, _, _ in counter.counts if b == "authfail:198.51.100.20"]  # a keyless 401 is no guess


def _behind_proxy(counter: InMemoryWindowCounter, peer: str) -> TestClient:
    client, state = _task(counter, auth_failures=100)
    # What `python -m services.api` runs under: uvicorn's proxy-header handling with
    # FORWARDED_ALLOW_IPS (Terraform: the VPC's CIDR).
    app = ProxyHeadersMiddleware(client.app, trusted_hosts="10.0.0.0/16")  # type: ignore[arg-type]
    return TestClient(app, client=(peer, 40000))


def test_x_forwarded_for_moves_the_bucket_only_behind_a_trusted_proxy() -> None:
    """From the load balancer (a VPC address) failures count against the X-Forwarded-For client;
    from anywhere else a forged X-Forwarded-For is ignored and the peer's address counts."""
    counter = InMemoryWindowCounter()
    bad = {"Authorization": "Bearer wrong"}
    with _behind_proxy(counter, "10.0.3.4") as alb, _behind_proxy(counter, "203.0.113.9") as direct:
        alb.get("/v1/jobs", headers={**bad, "X-Forwarded-For": "198.51.100.7"})
        direct.get("/v1/jobs", headers={**bad, "X-Forwarded-For": "198.51.100.8"})
    buckets = {bucket for bucket, _, _ in counter.counts}
    assert buckets == {"authfail:198.51.100.7", "authfail:203.0.113.9"}


def test_a_counter_outage_lets_reads_through_but_starts_no_unmetered_job() -> None:
    """The shared request limit fails open (the per-task bucket remains); the job quota fails closed (503)."""
    counter = InMemoryWindowCounter()
    client, _ = _task(counter)
    counter.down = True
    with client:
        assert client.get("/v1/jobs", headers=ACME).status_code == 200
        resp = client.post("/v1/jobs", json=URL_JOB, headers=ACME)
    assert resp.status_code == 503 and resp.headers["retry-after"] == "5"


def test_keyless_local_callers_are_limited_per_address() -> None:
    """With the seed path open (local), keyless callers share the default rate per client address."""
    counter = InMemoryWindowCounter()
    state, _, _, _ = fake_state(seed_require_key=False, rate_limit_per_second=0)
    state.limiter = Limiter(counter, LimitDefaults(requests_per_second=0.01), clock=lambda: NOON)
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        codes = [client.post(SEED, json=URL_JOB).status_code for _ in range(2)]
    assert codes == [202, 429] and [b for b, _, _ in counter.counts if b == "rps:addr:testclient"]


async def test_a_task_leases_request_tokens_in_growing_chunks() -> None:
    """With 200 per window a task writes the shared count once per chunk (1, 2, 4, 8, then 10
    at most: a task's first lease is one token, so a restart never burns a share of the
    limit): 60 requests cost 9 writes, and the count covers every request without passing
    the limit; a key at its limit is refused by every task."""
    from services.api.request_leases import RequestLeases

    counter = InMemoryWindowCounter()
    one, two = RequestLeases(counter, lambda: NOON), RequestLeases(counter, lambda: NOON)
    assert [await one.take("rps:key:a", limit=200, window_seconds=10) for _ in range(60)] == [0.0] * 60
    assert counter.calls == 9 and counter.counts[("rps:key:a", 10, int(NOON))] == 65  # 1+2+4+8+10*5
    by_two = 0
    while await two.take("rps:key:a", limit=200, window_seconds=10) == 0.0:
        by_two += 1
    assert by_two == 200 - 65 and counter.counts[("rps:key:a", 10, int(NOON))] == 200
    # The first task spends the 5 tokens it still holds, then is refused too.
    assert [await one.take("rps:key:a", limit=200, window_seconds=10) == 0.0 for _ in range(6)] == [True] * 5 + [False]


def test_jobs_in_flight_are_capped_per_tenant_and_a_finished_job_frees_a_slot() -> None:
    """jobsInFlight 2: with two unfinished jobs the next (/v1 or seed) is 429 naming jobsInFlight;
    once one fails, a new one is accepted."""
    state, store, _, _ = fake_state(rate_limit_per_second=0)
    entry = {"id": "acme-1", "tenant": "acme", "sha256": hash_key("acme-key"), "limits": {"jobsInFlight": 2}}
    state.keys = ApiKeyRing.from_json(json.dumps([entry]))
    state.limiter = Limiter(InMemoryWindowCounter(), LimitDefaults(), store=store, job_ttl_hours=1)
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        ids = [client.post("/v1/jobs", json=URL_JOB, headers=ACME).json()["jobId"] for _ in range(2)]
        full = client.post(SEED, json=URL_JOB, headers=ACME)
        full_v1 = client.post("/v1/jobs", json=URL_JOB, headers=ACME)
        assert client.portal is not None
        client.portal.call(lambda: store.fail(ids[0], stage="scrape", reason="gone", code="internal_error"))
        freed = client.post("/v1/jobs", json=URL_JOB, headers=ACME)
    assert full.status_code == 429 and full.headers["retry-after"] == "10" and "still running" in full.json()["message"]
    assert full_v1.status_code == 429 and full_v1.json()["limit"] == "jobsInFlight"
    assert freed.status_code == 202


async def test_restarted_tasks_do_not_burn_a_tenants_daily_quota() -> None:
    """Each new task leases one token for its first job: 50 restarts that each take one job
    leave the quota of 1,000 at 950, not exhausted by chunks nobody spent."""
    from services.api.request_leases import RequestLeases

    counter = InMemoryWindowCounter()
    for _ in range(50):
        task = RequestLeases(counter, lambda: NOON)
        assert await task.take("jobs:acme", limit=1000, window_seconds=86_400) == 0.0
    assert counter.counts[("jobs:acme", 86_400, int(NOON // 86_400) * 86_400)] == 50
