"""A batch in the web app, against the real stack (API, scraper, renderer, batch worker): made
through the API, followed in the page while it runs, its rows in words, and its ZIP downloaded."""

from __future__ import annotations

import asyncio
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import AUTH
from tests.integration.conftest import Services
from tests.integration.pages import PageServer
from tests.integration.webapp.conftest import open_tab, script_errors
from tests.integration.webapp.test_webapp_browser import _sign_in

pytestmark = [pytest.mark.integration, pytest.mark.slow]
_PROGRESS = "#batch-progress"


async def _create_batch(api: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=api, headers=AUTH, timeout=10) as http:
        resp = await http.post("/v1/batches", json={"items": items, "metadata": {"name": "Spring kettles"}},
                               headers={"Idempotency-Key": str(uuid.uuid4())})
    assert resp.status_code == 202, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def _rows(api: str, batch_id: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=api, headers=AUTH, timeout=10) as http:
        resp = await http.get(f"/v1/batches/{batch_id}/items")
    assert resp.status_code == 200, resp.text
    rows: list[dict[str, Any]] = resp.json()["items"]
    return rows


async def test_a_batch_runs_in_the_page_to_its_rows_and_its_zip(
    pipeline: Services, pages: PageServer, browser: Any
) -> None:
    """Three rows (a product page held by the shop until the page is open, typed facts, a page
    that answers 404): the home panel lists the batch; its page, never reloaded, shows it
    running and then, by itself, at the end with both products' prices and the 404 row's reason
    in words; the ZIP button (shown only then) waits for the build and downloads a ZIP of
    every completed image and results.csv."""
    slug = f"kettle-{uuid.uuid4().hex[:8]}"
    page_url = pages.add_product(slug, "Copper Kettle", "49.99", "EUR")
    pages.held[slug] = asyncio.Event()  # the batch cannot end before the page has seen it run
    missing = f"{pages.base}/p/gone-{uuid.uuid4().hex[:8]}"
    facts = {"name": "Enamel Kettle", "price": "34.00", "currency": "EUR", "imageUrl": f"{pages.base}/img/enamel.jpg"}
    try:
        batch = await _create_batch(pipeline.api, [{"productUrl": page_url}, {"product": facts},
                                                   {"productUrl": missing}])
        batch_id = batch["batchId"]
        tab = await open_tab(browser)
        polls: list[str] = []
        tab.page.on("request", lambda r: polls.append(r.url) if r.url.endswith(f"/v1/batches/{batch_id}") else None)
        loads: list[str] = []
        tab.page.on("load", lambda p: loads.append(p.url))
        await _sign_in(tab, pipeline.api)
        link = tab.page.locator(f"#batches-rows a[href='#/batches/{batch_id}']")
        await link.wait_for()
        assert await link.inner_text() == "Spring kettles"
        await tab.shot("home")  # the tenant's jobs, and the batches panel with this batch running
        await link.click()
        await tab.page.wait_for_selector("#batch-rows tr:nth-child(3)")
        assert await tab.page.inner_text("#batch-title") == "Spring kettles"
        assert "Status: running" in await tab.page.inner_text("#batch-status")
        assert float(await tab.page.get_attribute(_PROGRESS, "value") or 0) < 1
        assert await tab.page.is_hidden("#batch-archive")  # not before the batch has ended
        loads_when_opened = len(loads)
    finally:
        pages.held[slug].set()

    await tab.page.wait_for_selector(f"{_PROGRESS}[value='1']", timeout=120_000)  # the bar at its end
    await tab.page.wait_for_selector("#batch-archive:not([hidden])")
    assert len(loads) == loads_when_opened and len(polls) >= 2  # the page asked again by itself
    status = await tab.page.inner_text("#batch-status")
    assert "Status: completed" in status and "3 of 3 done" in status and "(2 completed, 1 failed)" in status
    rows = await _rows(pipeline.api, batch_id)
    assert [r["status"] for r in rows] == ["completed", "completed", "failed"], rows
    reason = rows[2]["error"]
    assert reason and " " in reason and rows[2]["errorCode"] not in reason  # a sentence, not a code
    cells = [await tab.page.locator(f"#batch-rows tr:nth-child({n}) td").all_inner_texts() for n in (1, 2, 3)]
    assert cells[0][1:4] == ["Copper Kettle", "completed", "49.99 EUR"] and cells[0][4] == ""
    assert cells[1][1:4] == ["Enamel Kettle", "completed", "34.00 EUR"]
    assert cells[2][2] == "failed" and cells[2][4] == reason
    assert await tab.page.get_attribute("#batch-rows tr:nth-child(1) a", "href") == f"#/jobs/{rows[0]['jobId']}"
    await tab.shot("batch")

    asked: list[str] = []
    tab.page.on("request", lambda r: asked.append(r.url) if r.url.endswith(f"/{batch_id}/archive") else None)
    async with tab.page.expect_download(timeout=60_000) as download:
        await tab.page.get_by_role("button", name="Download all (ZIP)").click()
    zip_url = (await download.value).url
    assert len(asked) >= 2  # 202 building, asked again after Retry-After, then ready
    assert zip_url.split("/")[2] != pipeline.api.split("/")[2]  # the storage's own origin (presigned)
    zipped = await asyncio.to_thread(Path(await (await download.value).path()).read_bytes)
    images = [(r["row"], image) for r in rows for image in r["images"]]
    assert len(images) == 2
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        entries = {i.filename: i.file_size for i in archive.infolist()}
        results = archive.read("results.csv").decode()
    assert {n: s for n, s in entries.items() if n != "results.csv"} == {
        f"{row:05d}-{image['format']}.{image['key'].rsplit('.', 1)[1]}": image["size"] for row, image in images}
    assert "Copper Kettle" in results and "Enamel Kettle" in results and reason in results
    assert "ZIP ready: 2 images" in await tab.page.inner_text("#batch-archive-status")
    assert await tab.page.is_enabled("#batch-archive")
    assert script_errors(tab) == []
