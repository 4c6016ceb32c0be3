"""POST /v1/batches on in-memory fakes: JSON items, sources, CSV uploads, validation, idempotency, quota."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app
from services.api.state import ApiState
from services.common.batch import MAX_ITEMS
from services.common.batch_messages import parse_batch_action
from services.common.settings import CommonSettings
from tests.fakes import InMemoryBatchStore, InMemoryJobFiles, InMemoryWorkQueue
from tests.unit.api.fakes import fake_state

ACME = {"Authorization": "Bearer acme-key"}
CSV = {**ACME, "Content-Type": "text/csv"}
URL = "https://shop.example.com/p/"


@pytest.fixture
def api() -> Iterator[tuple[TestClient, ApiState]]:
    state, _, _, _ = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state), raise_server_exceptions=False) as c:
        yield c, state


def _parts(state: ApiState) -> tuple[InMemoryBatchStore, InMemoryJobFiles, InMemoryWorkQueue]:
    return state.batches, state.files, state.queue  # type: ignore[return-value]


def test_items_batch_stores_request_writes_head_and_sends_start(api: Any) -> None:
    client, state = api
    body = {"items": [{"productUrl": URL + "1"}, {"product": {"name": "Lamp", "price": "9.99", "currency": "EUR"},
                                                   "formats": ["story"], "metadata": {"sku": "L1"}}],
            "defaults": {"style": "minimal"}, "metadata": {"name": "Spring"},
            "politeness": {"maxInFlightPerHost": 1, "requestsPerSecondPerHost": 0.5}}
    resp = client.post("/v1/batches", json=body, headers=ACME)
    assert resp.status_code == 202, resp.text
    view = resp.json()
    batch_id = view["batchId"]
    assert resp.headers["location"] == f"/v1/batches/{batch_id}"
    assert view["status"] == "expanding" and view["source"] == {"type": "items", "count": 2}
    assert view["politeness"] == {"maxInFlightPerHost": 1, "requestsPerSecondPerHost": 0.5}
    assert set(view["counts"]) >= {"queued", "completed", "failed", "cancelled"} and view["total"] == 0
    assert view["links"]["archive"] == f"/v1/batches/{batch_id}/archive"
    store, files, queue = _parts(state)
    head = store.batches[batch_id]
    assert head.tenant == "acme" and head.metadata == {"name": "Spring"} and head.expiresAt > head.createdAt
    stored = json.loads(files.stored[(files.bucket, f"batches/{batch_id}/request.json")][0])
    assert stored == {
        "items": [{"productUrl": URL + "1", "product": None, "options": {}},
                  {"productUrl": None, "product": {"name": "Lamp", "price": "9.99", "currency": "EUR"},
                   "options": {"formats": ["story"], "metadata": {"sku": "L1"}}}],
        "defaults": {"style": "minimal"},
    }
    assert [parse_batch_action(json.loads(b)) for b in queue.sent] == [(batch_id, "start")]
    assert [m.body for m in queue.queues["batch-work"]] == queue.sent


def test_source_batch_keeps_the_spec_and_stores_no_request(api: Any) -> None:
    client, state = api
    source = {"type": "sitemap", "url": "https://shop.example.com/sitemap.xml", "pattern": "^/p/", "maxItems": 50}
    resp = client.post("/v1/batches", json={"source": source}, headers=ACME)
    assert resp.status_code == 202 and resp.json()["source"] == source
    _, files, _ = _parts(state)
    assert not [k for _, k in files.stored if k.startswith("batches/")]


def test_a_source_batchs_defaults_are_stored_for_the_worker(api: Any) -> None:
    """The options every expanded row gets travel in request.json (defaults only)."""
    client, state = api
    body = {"source": {"url": "https://shop.example.com/sitemap.xml"}, "defaults": {"formats": ["square"]}}
    resp = client.post("/v1/batches", json=body, headers=ACME)
    assert resp.status_code == 202, resp.text
    _, files, _ = _parts(state)
    stored = json.loads(files.stored[(files.bucket, f"batches/{resp.json()['batchId']}/request.json")][0])
    assert stored == {"defaults": {"formats": ["square"]}}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "body", "exactly one of items"),
        ({"items": [{"productUrl": URL}], "source": {"url": URL}}, "body", "exactly one of items"),
        ({"items": []}, "items", "at least one item"),
        ({"items": [{"productUrl": URL}] * (MAX_ITEMS + 1)}, "items", "at most 10,000"),
        ({"items": [{"productUrl": "ftp://x.example/p"}]}, "items.0.productUrl", ""),
        ({"items": [{"productUrl": URL + "x" * 2100}]}, "items.0.productUrl", ""),
        ({"items": [{"productUrl": URL, "product": {"name": "x"}}]}, "items.0", "exactly one of productUrl"),
        ({"items": [{"productUrl": URL, "formats": ["square", "square"]}]}, "items.0.formats", "repeat"),
        ({"source": {"url": URL, "pattern": "(["}}, "source.pattern", "not a regular expression"),
        ({"source": {"url": URL, "maxItems": 10_001}}, "source.maxItems", "10000"),
        ({"source": {"url": URL}, "politeness": {"maxInFlightPerHost": 17}}, "politeness.maxInFlightPerHost", "16"),
        ({"source": {"url": URL}, "politeness": {"requestsPerSecondPerHost": 0}},
         "politeness.requestsPerSecondPerHost", "greater than 0"),
        ({"source": {"url": URL}, "metadata": {"x": "y" * 2000}}, "metadata", "limit is 1024"),
        ({"source": {"url": URL}, "extra": 1}, "extra", ""),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(api: Any, body: dict[str, Any], field: str, words: str) -> None:
    client, state = api
    resp = client.post("/v1/batches", json=body, headers=ACME)
    assert resp.status_code == 422 and resp.headers["content-type"] == "application/problem+json"
    errors = resp.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors
    assert len(errors) <= 20 and _parts(state)[0].batches == {}


def test_many_bad_items_answer_twenty_errors_and_say_how_many_more(api: Any) -> None:
    client, _ = api
    resp = client.post("/v1/batches", json={"items": [{"productUrl": "nope"}] * 30}, headers=ACME)
    assert resp.status_code == 422 and len(resp.json()["errors"]) == 20 and "10 more" in resp.json()["detail"]


def test_media_type_and_size_limits(api: Any) -> None:
    client, state = api
    resp = client.post("/v1/batches", content=b"x", headers={**ACME, "Content-Type": "text/plain"})
    assert resp.status_code == 415 and "text/csv" in resp.json()["detail"]
    resp = client.post("/v1/batches", content=b"{", headers={**ACME, "Content-Type": "application/json"})
    assert resp.status_code == 400
    big = b"productUrl\n" + b"https://shop.example.com/p/1\n" * 200_000
    resp = client.post("/v1/batches", content=big, headers=CSV)
    assert resp.status_code == 413 and "split" in resp.json()["detail"]


def test_csv_upload_with_defaults_from_the_query(api: Any) -> None:
    client, state = api
    text = ("productUrl,name,price,currency,formats\n"
            "https://shop.example.com/p/1,,,,\n"
            ",Copper Kettle,49.99,EUR,story;square\n")
    resp = client.post("/v1/batches", content=text.encode(), params={"formats": "landscape", "style": "luxury"},
                       headers=CSV)
    assert resp.status_code == 202, resp.text
    assert resp.json()["source"] == {"type": "csv", "count": 2}
    _, files, _ = _parts(state)
    stored = json.loads(files.stored[(files.bucket, f"batches/{resp.json()['batchId']}/request.json")][0])
    assert stored["defaults"] == {"formats": ["landscape"], "style": "luxury"}
    assert stored["items"][1] == {"productUrl": None, "options": {"formats": ["story", "square"]},
                                  "product": {"name": "Copper Kettle", "price": "49.99", "currency": "EUR"}}


def test_a_pace_above_the_deployments_ceiling_is_refused_in_words(api: Any) -> None:
    """The ceilings are the deployment's (API_BATCH_MAX_*_PER_HOST, default 4 and 4/s), in JSON and CSV alike."""
    client, state = api
    resp = client.post("/v1/batches", json={"source": {"url": URL}, "politeness": {
        "maxInFlightPerHost": 9, "requestsPerSecondPerHost": 4.5}}, headers=ACME)
    assert resp.status_code == 422, resp.text
    assert "more of each shop than this deployment allows" in resp.json()["detail"]
    assert {e["field"] for e in resp.json()["errors"]} == {"politeness.maxInFlightPerHost",
                                                            "politeness.requestsPerSecondPerHost"}
    resp = client.post("/v1/batches", content=b"productUrl\nhttps://shop.example.com/p/1\n",
                       params={"maxInFlightPerHost": "5"}, headers=CSV)
    assert resp.status_code == 422 and resp.json()["errors"][0]["message"] == "at most 4 here"
    resp = client.post("/v1/batches", content=b"productUrl\nhttps://shop.example.com/p/1\n",
                       params={"maxInFlightPerHost": "3", "requestsPerSecondPerHost": "2.5"}, headers=CSV)
    assert resp.status_code == 202 and resp.json()["politeness"] == {"maxInFlightPerHost": 3,
                                                                     "requestsPerSecondPerHost": 2.5}
    assert _parts(state)[0].batches


@pytest.mark.parametrize(
    ("text", "params", "field", "words"),
    [
        ("productUrl,price,name,currency\n,abc,Kettle,EUR\n", {}, "row 1, price", "not a number"),
        ("sku\n1\n", {}, "body", "header"),
        ("productUrl\n", {}, "body", "no rows"),
        ("productUrl\nhttps://shop.example.com/p/1\nhttps://a b/p\n", {}, "row 2, productUrl", ""),
        ("productUrl,formats\nhttps://shop.example.com/p/1,poster\n", {}, "row 1, formats", ""),
        ("productUrl\nhttps://shop.example.com/p/1\n", {"output": "gif"}, "query output", ""),
    ],
)
def test_csv_problems_name_row_and_column(api: Any, text: str, params: dict[str, str], field: str,
                                          words: str) -> None:
    client, _ = api
    resp = client.post("/v1/batches", content=text.encode(), params=params, headers=CSV)
    assert resp.status_code == 422, resp.text
    assert any(e["field"] == field and words in e["message"] for e in resp.json()["errors"]), resp.json()


def test_csv_that_is_not_utf8_is_422(api: Any) -> None:
    client, _ = api
    resp = client.post("/v1/batches", content="name\nK\xe4se\n".encode("latin-1"), headers=CSV)
    assert resp.status_code == 422 and "UTF-8" in resp.json()["detail"]


def test_idempotent_replay_is_200_with_the_same_batch_and_another_body_409(api: Any) -> None:
    client, state = api
    headers = {**ACME, "Idempotency-Key": "batch-1"}
    first = client.post("/v1/batches", json={"items": [{"productUrl": URL + "1"}]}, headers=headers)
    again = client.post("/v1/batches", json={"items": [{"productUrl": URL + "1"}]}, headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["batchId"] == first.json()["batchId"] and again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    other = client.post("/v1/batches", json={"items": [{"productUrl": URL + "2"}]}, headers=headers)
    assert other.status_code == 409
    store, _, queue = _parts(state)
    assert len(store.batches) == 1 and len(queue.sent) == 1
    csv_headers = {**CSV, "Idempotency-Key": "csv-1"}
    one = client.post("/v1/batches", content=b"productUrl\nhttps://shop.example.com/p/1\n", headers=csv_headers)
    two = client.post("/v1/batches", content=b"productUrl\nhttps://shop.example.com/p/1\n", headers=csv_headers)
    assert two.status_code == 200 and two.json()["batchId"] == one.json()["batchId"]


def test_queue_down_fails_the_batch_and_answers_503(api: Any) -> None:
    client, state = api
    store, _, queue = _parts(state)
    queue.down = True
    resp = client.post("/v1/batches", json={"items": [{"productUrl": URL + "1"}]}, headers=ACME)
    assert resp.status_code == 503 and resp.headers["retry-after"] == "5"
    [head] = store.batches.values()
    assert head.status == "failed" and head.error == {"code": "queue_unavailable",
                                                      "reason": "The batch could not be queued; send it again."}


def test_store_down_is_503(api: Any) -> None:
    client, state = api
    _parts(state)[0].down = True
    assert client.post("/v1/batches", json={"source": {"url": URL}}, headers=ACME).status_code == 503
    assert client.get("/v1/batches", headers=ACME).status_code == 503


def test_a_batch_counts_its_jobs_against_the_daily_quota_all_or_nothing() -> None:
    """Duplicated product pages count once; a batch over what is left is refused whole (429)."""
    state, _, _, _ = fake_state(limit_jobs_per_day=5)
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        items = [{"productUrl": URL + "1"}, {"productUrl": "https://SHOP.example.com/p/1#x"},
                 {"product": {"name": "Lamp"}}, {"productUrl": URL + "2"}]
        assert client.post("/v1/batches", json={"items": items}, headers=ACME).status_code == 202  # 3 jobs
        over = client.post("/v1/batches", json={"items": items}, headers=ACME)
        assert over.status_code == 429 and over.json()["limit"] == "jobsPerDay" and "3 jobs" in over.json()["detail"]
        assert client.post("/v1/jobs", json={"productUrl": URL + "9"}, headers=ACME).status_code == 202
        assert client.post("/v1/jobs", json={"productUrl": URL + "8"}, headers=ACME).status_code == 202
        assert client.post("/v1/jobs", json={"productUrl": URL + "7"}, headers=ACME).status_code == 429
        # A source's size is not known when it is accepted: not counted here; the quota in force
        # travels on the head, and the batch worker counts the jobs it expands against it.
        source = client.post("/v1/batches", json={"source": {"url": URL}}, headers=ACME)
        assert source.status_code == 202
        assert state.batches.batches[source.json()["batchId"]].jobsPerDay == 5  # type: ignore[attr-defined]
        globex = {"Authorization": "Bearer globex-key"}
        counted = state.batches.batches[  # type: ignore[attr-defined]
            client.post("/v1/batches", json={"items": items[:1]}, headers=globex).json()["batchId"]]
        assert counted.jobsPerDay is None  # a batch of items is counted whole, by the API


def test_a_source_batch_of_a_tenant_without_a_daily_quota_carries_0() -> None:
    state, _, _, _ = fake_state(limit_jobs_per_day=0)
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        source = client.post("/v1/batches", json={"source": {"url": URL}}, headers=ACME)
        assert state.batches.batches[source.json()["batchId"]].jobsPerDay == 0  # type: ignore[attr-defined]
