"""The web app's Retry in a real headless browser against the local stack: a job fails for a
reason the person can fix (the shop's page had no product yet), the page says why and offers
Retry; once the shop serves the product, Retry (from the keyboard) runs the same job again."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import AUTH
from tests.integration.conftest import Services
from tests.integration.pages import PageServer
from tests.integration.webapp.conftest import open_tab, script_errors
from tests.integration.webapp.test_webapp_browser import _FINAL, _new_image, _sign_in

pytestmark = [pytest.mark.integration, pytest.mark.slow]

_COMING_SOON = "<!doctype html><html><head><title>Soon | Northwind</title></head><body>Coming soon</body></html>"


async def _job(api: str, job_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=api, headers=AUTH, timeout=10) as http:
        resp = await http.get(f"/v1/jobs/{job_id}")
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def test_a_job_failed_for_a_fixable_reason_is_retried_from_the_keyboard_and_completes(
    pipeline: Services, pages: PageServer, boto: Any, browser: Any
) -> None:
    """The product page first has no product: the job fails at the reading stage, the page shows
    the API's reason in words and a Retry button. The shop then serves the product; Retry,
    reached with Tab and pressed with Enter, runs the same job as attempt 2, which completes
    with the page's price in its facts, shown and printed, and Retry hidden again."""
    slug = f"board-{uuid.uuid4().hex[:8]}"
    pages.pages[slug] = _COMING_SOON
    tab = await open_tab(browser)
    await _sign_in(tab, pipeline.api)
    await _new_image(tab, f"{pages.base}/p/{slug}")
    await tab.page.wait_for_selector(_FINAL, timeout=120_000)
    assert await tab.page.get_attribute("#job-status", "data-status") == "failed"
    job_id = tab.page.url.rsplit("/", 1)[1]
    failed = await _job(pipeline.api, job_id)
    assert failed["status"] == "failed" and failed["attempt"] == 1
    assert failed["error"]["code"] == "no_product", failed["error"]
    assert failed["links"]["retry"] == f"/v1/jobs/{job_id}/retry"

    # The reason in words, where the job stopped, and the way out.
    error = await tab.page.inner_text("#job-error")
    assert failed["error"]["reason"] in error and "Failed while reading the product page: " in error, error
    assert failed["error"]["traceId"] in error
    assert await tab.page.inner_text("#job-stages li.failed") == "Reading the page (failed)"
    assert await tab.page.is_hidden("#job-facts")  # no facts were read: no empty facts box either
    retry = tab.page.get_by_role("button", name="Retry")
    assert await retry.is_visible()
    await tab.shot("job-failed")

    # A second tab shows the same failed job (its Retry will come too late).
    other = await open_tab(browser)
    await _sign_in(other, pipeline.api)
    await other.page.goto(f"{pipeline.api}/app#/jobs/{job_id}")
    await other.page.wait_for_selector("#job-status[data-status=failed]")

    # The shop fixes its page; the person retries with the keyboard alone.
    pages.add_product(slug, "Walnut Board", "34.90", "EUR")
    await tab.page.focus("#delete")
    await tab.page.keyboard.press("Shift+Tab")  # Retry is in the tab order, just before Delete
    assert await tab.page.evaluate("document.activeElement.id") == "retry"
    await tab.page.keyboard.press("Enter")
    await tab.page.wait_for_selector("#job-status:not([data-status=failed])", timeout=30_000)
    # Focus did not fall to the page's body when the pressed Retry was hidden.
    assert await tab.page.evaluate("document.activeElement.id") == "job-status"

    # The second tab's Retry is refused in the API's words, and the tab catches up with the job.
    await other.page.get_by_role("button", name="Retry").click()
    await other.page.get_by_role("alert").get_by_text("only a failed job can be retried").wait_for()
    await other.page.wait_for_selector("#job-status[data-status=completed]", timeout=120_000)
    assert await other.page.is_hidden("#retry")

    await tab.page.wait_for_selector(_FINAL, timeout=120_000)
    assert await tab.page.get_attribute("#job-status", "data-status") == "completed"
    assert tab.page.url.rsplit("/", 1)[1] == job_id  # the same job's page, not a new job
    assert pages.hits[slug] >= 2

    done = await _job(pipeline.api, job_id)
    assert done["jobId"] == job_id and done["attempt"] == 2 and done["status"] == "completed"
    assert done["error"] is None and done["links"]["retry"] is None
    assert (done["product"]["name"], done["product"]["price"], done["product"]["currency"]) == (
        "Walnut Board", "34.90", "EUR")
    facts = await tab.page.inner_text("#job-facts")
    assert "Walnut Board" in facts and "34.90" in facts and "EUR" in facts, facts
    stored = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
    assert "34.90" in json.dumps(stored["overlayText"])

    # A completed job offers no Retry, and the old failure is gone from the page.
    assert await tab.page.is_hidden("#retry")
    assert await tab.page.is_hidden("#job-error")
    assert await tab.page.locator("#job-stages li.failed").count() == 0
    assert await tab.page.locator("#job-stages li.done").count() == 4  # all but the review it skipped
    assert script_errors(tab) == []
    assert script_errors(other) == []  # the refused retry (409) is shown in words, not thrown
