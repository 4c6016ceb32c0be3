"""The web app in a real headless browser against the local stack: sign in, make an image,
review an uncertain price, read the API's error, and the offline /docs page."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import AUTH, KEY
from tests.integration.conftest import Services
from tests.integration.pages import PageServer
from tests.integration.test_review import _ambiguous_page
from tests.integration.webapp.conftest import Tab, open_tab, script_errors

pytestmark = [pytest.mark.integration, pytest.mark.slow]
_FINAL = "#job-status[data-status=completed], #job-status[data-status=failed]"


async def _sign_in(tab: Tab, api: str) -> None:
    await tab.page.goto(f"{api}/app")
    await tab.page.get_by_label("API key").fill(KEY)
    await tab.page.keyboard.press("Enter")  # the form works from the keyboard
    await tab.page.wait_for_selector("#view-home:not([hidden])")


async def _new_image(tab: Tab, url: str, shot: str | None = None) -> None:
    await tab.page.get_by_role("link", name="New image").first.click()
    await tab.page.get_by_label("Product page URL").fill(url)
    if shot:
        await tab.page.get_by_text("Overlay overrides").click()  # shown open in the screenshot
        await tab.shot(shot)
    await tab.page.get_by_role("button", name="Make the image").click()


async def test_a_product_url_becomes_an_image_that_downloads_whole(
    pipeline: Services, pages: PageServer, browser: Any
) -> None:
    """Submitted in the page, the job's stages advance to completed with its facts shown (the
    first event stream is cut: the page reconnects); the downloaded image has the stored size,
    the ZIP holds it, the copied link fetches it, Delete removes the job, and the key never
    enters a URL."""
    url = pages.add_product(f"kettle-{uuid.uuid4().hex[:8]}", "Copper Kettle", "49.99", "EUR")
    tab = await open_tab(browser)
    streams: list[str] = []

    async def cut_the_first_stream(route: Any) -> None:
        streams.append(route.request.url)
        await (route.abort("connectionreset") if len(streams) == 1 else route.continue_())

    await tab.page.route("**/v1/jobs/*/events", cut_the_first_stream)
    await _sign_in(tab, pipeline.api)
    await _new_image(tab, url, shot="new-image")
    await tab.page.wait_for_selector(_FINAL, timeout=120_000)
    assert await tab.page.get_attribute("#job-status", "data-status") == "completed"
    assert len(streams) >= 2 and all(KEY not in u for u in streams)
    assert "Copper Kettle" in await tab.page.inner_text("#job-facts")
    assert "49.99" in await tab.page.inner_text("#job-facts")
    await tab.page.wait_for_function("document.querySelector('#job-images img')?.naturalWidth > 0")
    job_id = tab.page.url.rsplit("/", 1)[1]
    async with httpx.AsyncClient(base_url=pipeline.api, headers=AUTH) as http:
        job = (await http.get(f"/v1/jobs/{job_id}")).json()
    image = job["images"][0]

    async with tab.page.expect_download() as single:
        await tab.page.get_by_role("button", name=f"Download {image['format']}").click()
    saved = await asyncio.to_thread(Path(await (await single.value).path()).read_bytes)
    assert len(saved) == image["size"] > 10_000
    async with tab.page.expect_download() as whole:
        await tab.page.get_by_role("button", name="Download all (ZIP)").click()
    zipped = await asyncio.to_thread(Path(await (await whole.value).path()).read_bytes)
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    assert [i.file_size for i in archive.infolist()] == [image["size"]]
    await tab.shot("job-completed")

    await tab.page.get_by_role("button", name=f"Copy link ({image['format']})").click()
    await tab.page.get_by_text("copied").wait_for()
    link = await tab.page.evaluate("navigator.clipboard.readText()")
    async with httpx.AsyncClient() as plain:  # a presigned link: no key needed
        assert len((await plain.get(link)).content) == image["size"]

    await tab.page.get_by_role("link", name="Home").click()
    await tab.page.wait_for_selector(f"#jobs-rows a[href='#/jobs/{job_id}']")

    await tab.page.click(f"#jobs-rows a[href='#/jobs/{job_id}']")
    await tab.page.wait_for_selector("#delete:not([hidden])")
    tab.page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await tab.page.get_by_role("button", name="Delete").click()
    await tab.page.wait_for_selector("#view-home:not([hidden])")
    async with httpx.AsyncClient(base_url=pipeline.api, headers=AUTH) as http:
        assert (await http.get(f"/v1/jobs/{job_id}")).status_code == 404
    assert KEY not in tab.page.url
    assert [e for e in script_errors(tab) if "ERR_CONNECTION_RESET" not in e] == []


async def test_a_price_in_review_is_corrected_in_the_page_and_printed(
    pipeline: Services, pages: PageServer, boto: Any, browser: Any
) -> None:
    """An ambiguous page stops in review; the page shows both prices with the text around them,
    the person picks 49.99, and the job completes with 49.99 in its facts and its printed text."""
    slug = f"kettle-{uuid.uuid4().hex[:8]}"
    pages.pages[slug] = _ambiguous_page(pages.base, slug)
    tab = await open_tab(browser)
    await _sign_in(tab, pipeline.api)
    await _new_image(tab, f"{pages.base}/p/{slug}")
    await tab.page.wait_for_selector("#review-form:not([hidden])", timeout=120_000)
    review = await tab.page.inner_text("#review-form")
    assert "49.99" in review and "59.99" in review
    assert await tab.page.locator("#review-facts q.context").count() >= 2  # the text around each price
    await tab.shot("review")
    await tab.page.check("#review-facts input[data-value='49.99']")
    await tab.page.fill("#fact-currency", "EUR")
    await tab.page.get_by_role("button", name="Use these facts and make the image").click()
    await tab.page.wait_for_selector(_FINAL, timeout=120_000)
    assert await tab.page.get_attribute("#job-status", "data-status") == "completed"
    assert "49.99" in await tab.page.inner_text("#job-facts")
    job_id = tab.page.url.rsplit("/", 1)[1]
    stored = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
    printed = json.dumps(stored["overlayText"])
    assert "49.99" in printed and "59.99" not in printed
    assert script_errors(tab) == []


async def test_typed_facts_with_an_overlay_override_are_printed_as_typed(
    pipeline: Services, boto: Any, browser: Any
) -> None:
    """Facts typed in the form (no page to scrape) and a text override of the offer make a
    completed job whose printed text holds the typed price and the override."""
    tab = await open_tab(browser)
    await _sign_in(tab, pipeline.api)
    await tab.page.get_by_role("link", name="New image").first.click()
    await tab.page.get_by_label("Type the facts").check()
    await tab.page.get_by_label("Name", exact=True).fill("Linen Apron")
    await tab.page.get_by_label("Price", exact=True).fill("24.50")
    await tab.page.get_by_label("Currency").fill("eur")
    await tab.page.get_by_text("Overlay overrides").click()
    await tab.page.get_by_label("Print instead of the offer").fill("Spring sale")
    await tab.page.get_by_role("button", name="Make the image").click()
    await tab.page.wait_for_selector(_FINAL, timeout=120_000)
    assert await tab.page.get_attribute("#job-status", "data-status") == "completed"
    job_id = tab.page.url.rsplit("/", 1)[1]
    stored = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
    printed = json.dumps(stored["overlayText"])
    assert "24.50" in printed and "Spring sale" in printed and "Linen Apron" in printed
    assert script_errors(tab) == []


async def test_a_bad_url_shows_the_apis_error_in_words(pipeline: Services, browser: Any) -> None:
    """A URL the API refuses is not sent on as a job: the page shows the API's own sentence."""
    bad = "ftp://shop.example/p/1"
    async with httpx.AsyncClient(base_url=pipeline.api, headers=AUTH) as http:
        refused = await http.post("/v1/jobs", json={"productUrl": bad})
    assert refused.status_code == 422
    words = [e["message"] for e in refused.json()["errors"]]
    tab = await open_tab(browser, width=390, height=844, mobile=True)
    await _sign_in(tab, pipeline.api)
    await _new_image(tab, bad)
    alert = tab.page.get_by_role("alert")
    await alert.wait_for()
    shown = await alert.inner_text()
    assert refused.json()["detail"] in shown and all(w in shown for w in words), shown
    # A phone screen: nothing wider than the viewport.
    assert await tab.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await tab.shot("error-phone")
    assert script_errors(tab) == []


async def test_the_pages_ask_no_other_host_and_forbid_inline_script(pipeline: Services, browser: Any) -> None:
    """/docs renders the reference from this origin alone without console errors; /app and /docs
    send a Content-Security-Policy allowing no inline script and no other origin."""
    async with httpx.AsyncClient(base_url=pipeline.api) as http:
        for path in ("/app", "/docs"):
            csp = (await http.get(path)).headers["content-security-policy"]
            scripts = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
            assert scripts.strip() == "script-src 'self'" and "http" not in csp
    tab = await open_tab(browser)
    await tab.page.goto(f"{pipeline.api}/docs")
    await tab.page.get_by_text("API docs by Redocly").wait_for()
    await tab.page.wait_for_load_state("networkidle")
    host = pipeline.api.split("/")[2]
    assert tab.hosts <= {host}, tab.hosts
    assert tab.errors == []
