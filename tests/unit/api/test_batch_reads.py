"""GET/DELETE /v1/batches...: views, pages, results, the archive's states, cancelling, tenant isolation."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app
from services.api.state import ApiState
from services.common.batch import Batch, BatchItem, plan_items
from services.common.batch_csv import read_items
from services.common.batch_messages import parse_batch_action
from services.common.settings import CommonSettings
from tests.fakes import InMemoryBatchStore, InMemoryWorkQueue
from tests.unit.api.fakes import fake_state

ACME = {"Authorization": "Bearer acme-key"}
GLOBEX = {"Authorization": "Bearer globex-key"}


@pytest.fixture
def api() -> Iterator[tuple[TestClient, InMemoryBatchStore, InMemoryWorkQueue, ApiState]]:
    state, _, queue, _ = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state), raise_server_exceptions=False) as c:
        yield c, state.batches, queue, state  # type: ignore[misc]


def _batch(store: InMemoryBatchStore, *, tenant: str = "acme", status: str = "running",
           created: str = "2026-12-04T10:00:00.000Z", rows: list[dict[str, Any]] | None = None, **fields: Any) -> Batch:
    batch = Batch(batchId=str(uuid.uuid4()), tenant=tenant, status=status, createdAt=created, updatedAt=created,
                  expiresAt="2027-01-04T10:00:00.000Z", metadata={"name": "Spring"}, **fields)
    store.batches[batch.batchId] = batch
    store.rows[batch.batchId] = {}
    items = plan_items(batch.batchId, rows or [], {})
    for item in items:
        store.rows[batch.batchId][item.row] = item
        batch.total += 1
        batch.duplicates += item.duplicateOf is not None
        batch.counts[item.status] += 1
    return batch


def _actions(queue: InMemoryWorkQueue) -> list[tuple[str, str] | None]:
    return [parse_batch_action(json.loads(body)) for body in queue.sent]


def test_view_list_newest_first_paged_and_filtered(api: Any) -> None:
    client, store, _, _ = api
    old = _batch(store, created="2026-12-01T00:00:00.000Z", status="completed")
    new = _batch(store, created="2026-12-03T00:00:00.000Z")
    _batch(store, tenant="globex")
    view = client.get(f"/v1/batches/{new.batchId}", headers=ACME).json()
    assert view["batchId"] == new.batchId and view["status"] == "running" and view["progress"] == 1.0
    assert view["links"]["items"] == f"/v1/batches/{new.batchId}/items" and view["archive"] is None
    page = client.get("/v1/batches", params={"limit": 1}, headers=ACME).json()
    assert [b["batchId"] for b in page["batches"]] == [new.batchId] and page["next"]
    rest = client.get("/v1/batches", params={"limit": 1, "cursor": page["next"]}, headers=ACME).json()
    assert [b["batchId"] for b in rest["batches"]] == [old.batchId] and rest["next"] is None
    done = client.get("/v1/batches", params={"status": "completed"}, headers=ACME).json()
    assert [b["batchId"] for b in done["batches"]] == [old.batchId]
    # A cursor of acme's listing is no cursor for globex; a made-up one is 400 too.
    assert client.get("/v1/batches", params={"limit": 1, "cursor": page["next"]}, headers=GLOBEX).status_code == 400
    assert client.get("/v1/batches", params={"cursor": "nonsense"}, headers=ACME).status_code == 400
    assert client.get("/v1/batches", params={"limit": 0}, headers=ACME).status_code == 422


def test_a_source_batch_cut_short_by_the_daily_quota_says_so(api: Any) -> None:
    """The worker's note on the head is the view's sourceNote; a batch without one shows null."""
    client, store, _, _ = api
    note = ("The daily quota of 3 jobs was reached after 2 of this source's products; the rest were not added. "
            "It resets at 00:00 UTC.")
    cut = _batch(store, rows=[{"productUrl": "https://shop.example.com/p/1"}], sourceNote=note, jobsPerDay=3)
    whole = _batch(store)
    assert client.get(f"/v1/batches/{cut.batchId}", headers=ACME).json()["sourceNote"] == note
    assert client.get(f"/v1/batches/{whole.batchId}", headers=ACME).json()["sourceNote"] is None
    assert "jobsPerDay" not in client.get(f"/v1/batches/{cut.batchId}", headers=ACME).json()


def test_another_tenants_batch_is_404_everywhere(api: Any) -> None:
    client, store, queue, _ = api
    batch = _batch(store, status="completed", rows=[{"productUrl": "https://a.example/p"}])
    for method, suffix in (("GET", ""), ("GET", "/items"), ("GET", "/results"), ("GET", "/archive"),
                           ("DELETE", "")):
        for target in (f"/v1/batches/{batch.batchId}", f"/v1/batches/{uuid.uuid4()}", "/v1/batches/not-a-uuid"):
            headers = GLOBEX if target.endswith(batch.batchId) else ACME
            resp = client.request(method, target + suffix, headers=headers)
            assert resp.status_code == 404 and resp.json()["detail"] == "No batch with this id.", (method, suffix)
    assert queue.sent == [] and client.get("/v1/batches", headers=GLOBEX).json()["batches"] == []


def test_items_pages_show_rows_and_duplicates(api: Any) -> None:
    client, store, _, _ = api
    batch = _batch(store, rows=[{"productUrl": "https://a.example/p/1"}, {"productUrl": "https://A.example/p/1"},
                                {"product": {"name": "Lamp", "price": "9.99", "currency": "EUR"}}])
    first = client.get(f"/v1/batches/{batch.batchId}/items", params={"limit": 2}, headers=ACME).json()
    assert [r["row"] for r in first["items"]] == [1, 2] and first["next"]
    assert first["items"][1]["duplicateOf"] == 1 and first["items"][1]["jobId"] == first["items"][0]["jobId"]
    rest = client.get(f"/v1/batches/{batch.batchId}/items", params={"cursor": first["next"]}, headers=ACME).json()
    [lamp] = rest["items"]
    assert lamp["product"]["name"] == "Lamp" and lamp["status"] == "queued" and rest["next"] is None
    assert set(lamp) == {"row", "productUrl", "jobId", "status", "duplicateOf", "errorCode", "error", "product",
                         "images"}
    other = _batch(store)  # a cursor of one batch's rows is no cursor for another's
    assert client.get(f"/v1/batches/{other.batchId}/items", params={"cursor": first["next"]},
                      headers=ACME).status_code == 400


def _finished(store: InMemoryBatchStore, count: int = 3) -> Batch:
    rows: list[dict[str, Any]] = [{"productUrl": f"https://a.example/p/{n}"} for n in range(count - 1)]
    rows.append({"product": {"name": "=Lamp", "price": "9.99", "currency": "EUR", "offer": "-20%"}})
    batch = _batch(store, status="completed", rows=rows)
    item: BatchItem = store.rows[batch.batchId][1]
    item.status, item.product = "completed", {"name": "Kettle", "price": "19.99", "currency": "EUR"}
    item.images = [{"format": "square", "key": f"jobs/{item.jobId}/square.jpg", "contentType": "image/jpeg",
                    "size": 10}]
    store.rows[batch.batchId][2].status, store.rows[batch.batchId][2].errorCode = "failed", "page_unreachable"
    store.rows[batch.batchId][2].error = "the shop answered 404"
    return batch


def test_results_csv_round_trips_into_an_upload(api: Any) -> None:
    client, store, _, _ = api
    batch = _finished(store, count=1205)  # more than one page of the store
    resp = client.get(f"/v1/batches/{batch.batchId}/results", params={"format": "csv"}, headers=ACME)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == 1205 and resp.text.count("row,productUrl") == 1
    assert rows[0]["name"] == "Kettle" and rows[0]["images"].endswith("square.jpg") and rows[1]["errorCode"]
    assert rows[-1]["name"] == "'=Lamp"  # a formula is never a formula in a spreadsheet
    items = read_items(resp.text)  # sent back as it is: the completed row is not run again
    assert len(items) == 1204
    assert items[-1].product == {"name": "=Lamp", "price": "9.99", "currency": "EUR", "offer": "-20%"}
    assert items[0].productUrl == "https://a.example/p/1" and items[0].product is None
    by_accept = client.get(f"/v1/batches/{batch.batchId}/results", headers={**ACME, "Accept": "text/csv"})
    assert by_accept.text == resp.text


def test_results_json_and_a_bad_format(api: Any) -> None:
    client, store, _, _ = api
    batch = _finished(store)
    body = client.get(f"/v1/batches/{batch.batchId}/results", headers=ACME).json()
    assert [r["row"] for r in body["items"]] == [1, 2, 3] and body["items"][0]["images"][0]["format"] == "square"
    empty = _batch(store)
    assert client.get(f"/v1/batches/{empty.batchId}/results", headers=ACME).json() == {"items": []}
    assert client.get(f"/v1/batches/{empty.batchId}/results?format=csv", headers=ACME).text.startswith("row,")
    assert client.get(f"/v1/batches/{batch.batchId}/results?format=xml", headers=ACME).status_code == 422


def test_archive_is_409_while_running_then_building_then_ready(api: Any) -> None:
    client, store, queue, state = api
    batch = _batch(store, status="running")
    resp = client.get(f"/v1/batches/{batch.batchId}/archive", headers=ACME)
    assert resp.status_code == 409 and resp.json()["batchStatus"] == "running" and queue.sent == []
    batch = _finished(store)
    path = f"/v1/batches/{batch.batchId}/archive"
    first, second = client.get(path, headers=ACME), client.get(path, headers=ACME)
    assert (first.status_code, second.status_code) == (202, 202) and first.json() == {"status": "building"}
    assert first.headers["retry-after"] == "5" and _actions(queue) == [(batch.batchId, "archive")]  # asked once
    assert client.get(f"/v1/batches/{batch.batchId}", headers=ACME).json()["archive"]["status"] == "building"
    store.batches[batch.batchId].archive = {"status": "ready", "key": f"batches/{batch.batchId}/images.zip",
                                            "size": 1234, "count": 3, "missing": ["jobs/x/square.jpg"],
                                            "builtAt": "2026-12-04T11:00:00.000Z"}
    ready = client.get(path, headers=ACME)
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["url"].startswith(f"https://s3.local/{state.files.bucket}/batches/")
    assert (body["size"], body["count"], body["missing"]) == (1234, 3, 1) and body["expiresAt"]
    saved_as = quote(f'attachment; filename="batch-{batch.batchId}-images.zip"', safe="")
    assert body["url"].endswith(f"&response-content-disposition={saved_as}")  # saved, not shown
    view = client.get(f"/v1/batches/{batch.batchId}", headers=ACME).json()["archive"]
    assert view["status"] == "ready" and "key" not in view and view["missing"] == 1


def test_a_failed_archive_is_reported_and_built_again(api: Any) -> None:
    client, store, queue, _ = api
    batch = _finished(store)
    store.batches[batch.batchId].archive = {"status": "failed", "error": "S3 said no"}
    path = f"/v1/batches/{batch.batchId}/archive"
    failed = client.get(path, headers=ACME)
    assert failed.status_code == 200 and failed.json() == {"status": "failed", "error": "S3 said no"}
    assert _actions(queue) == [(batch.batchId, "archive")]
    assert client.get(path, headers=ACME).status_code == 202


def test_archive_lost_on_its_way_is_asked_for_again_and_queue_down_is_503(api: Any) -> None:
    client, store, queue, _ = api
    batch = _finished(store)
    store.batches[batch.batchId].archive = {"status": "building", "requestedAt": "2026-01-01T00:00:00.000Z"}
    assert client.get(f"/v1/batches/{batch.batchId}/archive", headers=ACME).status_code == 202
    assert _actions(queue) == [(batch.batchId, "archive")]
    other = _finished(store)
    queue.down = True
    resp = client.get(f"/v1/batches/{other.batchId}/archive", headers=ACME)
    assert resp.status_code == 503 and store.batches[other.batchId].archive is None


def test_cancel_records_and_sends_cancel_and_a_terminal_batch_is_409(api: Any) -> None:
    client, store, queue, _ = api
    batch = _batch(store, status="running", rows=[{"productUrl": "https://a.example/p"}])
    resp = client.delete(f"/v1/batches/{batch.batchId}", headers=ACME)
    assert resp.status_code == 202 and resp.json()["cancelRequestedAt"]
    assert resp.headers["location"] == f"/v1/batches/{batch.batchId}"
    assert store.batches[batch.batchId].cancelRequestedAt == resp.json()["cancelRequestedAt"]
    assert _actions(queue) == [(batch.batchId, "cancel")]
    again = client.delete(f"/v1/batches/{batch.batchId}", headers=ACME)  # asked again: same time, sent again
    assert again.status_code == 202 and again.json()["cancelRequestedAt"] == resp.json()["cancelRequestedAt"]
    for status in ("completed", "failed", "cancelled"):
        done = _batch(store, status=status)
        refused = client.delete(f"/v1/batches/{done.batchId}", headers=ACME)
        assert refused.status_code == 409 and refused.json()["batchStatus"] == status
    expanding = _batch(store, status="expanding")
    queue.down = True
    down = client.delete(f"/v1/batches/{expanding.batchId}", headers=ACME)
    assert down.status_code == 503 and "DELETE again" in down.json()["detail"]
