"""The scrape handler asks robots.txt and the host's turn before every request to the shop, at the
message's pace clamped to the limits; a disallowed page is never fetched."""

from __future__ import annotations

from typing import Any

from services.common.fetching.fetch_errors import HttpStatusError
from services.common.fetching.fetched_content import FetchedPage
from services.common.fetching.safe_fetch import RequestGate
from services.common.host_gate import HostLimits, SlotGrant, SlotRefusal
from services.common.host_pacing import HostPacer
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.messages import PolitenessOverride, scrape_request_body
from services.common.queue_message import QueueMessage
from services.scraper.handler import ScrapeHandler
from services.scraper.politeness_settings import PolitenessSettings
from services.scraper.robots_rules import RobotsRules
from services.scraper.shop_politeness import ShopPoliteness
from tests.fakes import InMemoryHostGate, InMemoryJobFiles, InMemoryJobStore, RecordingPublisher
from tests.unit.scraper.test_handler_uncertain import CLEAR

URL = "https://shop.example.com/p/kettle"


class Clock:
    """Time that passes only when the pacer sleeps, so a 2 s turn costs the test nothing."""

    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class RecordingGate(InMemoryHostGate):
    """The fake gate, remembering the pace each request asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, HostLimits]] = []

    async def acquire(self, host: str, limits: HostLimits, *, now: float,
                      lease_seconds: float) -> SlotGrant | SlotRefusal:
        self.asked.append((host, limits))
        return await super().acquire(host, limits, now=now, lease_seconds=lease_seconds)


class GatedFetcher:
    """Serves robots.txt and the page, entering the gate around each request like SafeFetcher does."""

    def __init__(self, robots: str | None) -> None:
        self.robots = robots
        self.fetched: list[str] = []

    async def _through(self, url: str, gate: RequestGate | None) -> None:
        assert gate is not None, "every request to the shop goes through the gate"
        async with gate(url):
            self.fetched.append(url)

    async def fetch_text(self, url: str, max_bytes: int, gate: RequestGate | None = None) -> str:
        await self._through(url, gate)
        if self.robots is None:
            raise HttpStatusError("404", 404)
        return self.robots

    async def fetch_page(self, url: str, gate: RequestGate | None = None) -> FetchedPage:
        await self._through(url, gate)
        return FetchedPage(url=url, final_url=url, status=200, content_type="text/html", encoding="utf-8",
                           body=CLEAR.encode(), text=CLEAR, headers={}, redirects=[])

    async def fetch_image(self, url: str, gate: RequestGate | None = None) -> Any:
        raise AssertionError("the test page has no images")


async def _handle(
    robots: str | None, politeness: PolitenessOverride | None
) -> tuple[Job, RecordingGate, GatedFetcher]:
    job = Job.new(ttl_hours=1, productUrl=URL)
    store, gate, fetcher = InMemoryJobStore([job]), RecordingGate(), GatedFetcher(robots)
    settings = PolitenessSettings()
    clock = Clock()
    pacer = HostPacer(gate, lease_seconds=30, max_wait=20, max_back_off=600, default_back_off=30,
                      clock=clock, sleep=clock.sleep)
    handler = ScrapeHandler(store=store, publisher=RecordingPublisher(), fetcher=fetcher,  # type: ignore[arg-type]
                            files=InMemoryJobFiles(), worker_id="w1", lease_seconds=60,
                            politeness=ShopPoliteness(settings, pacer, RobotsRules(fetcher, settings)))  # type: ignore[arg-type]
    message = QueueMessage("m1", "r1", scrape_request_body(job.jobId, 1, politeness), 1)
    try:
        await handler.handle(message)
    except Exception as error:  # noqa: BLE001 - the consumer's part: record the failure
        await handler.on_failure(message, error)
    stored = await store.get(job.jobId)
    assert stored is not None
    return stored, gate, fetcher


async def test_robots_txt_then_the_page_each_take_a_turn_at_the_batchs_pace_within_the_limits() -> None:
    """An override of 9 in flight and 0.5/s: robots.txt and the page both go through the gate, each at 4 (the
    limit) in flight and 0.5/s (slower is allowed), and the job is scraped."""
    job, gate, fetcher = await _handle(None, PolitenessOverride(9, 0.5))
    assert job.status == JobStatus.SCRAPED
    assert fetcher.fetched == ["https://shop.example.com/robots.txt", URL]
    assert gate.asked and all(asked == ("shop.example.com", HostLimits(4, 0.5)) for asked in gate.asked)


async def test_a_page_robots_txt_disallows_fails_the_job_and_is_never_fetched() -> None:
    """Disallow: /p/ for ProductshotBot: the job fails as robots_disallowed; only robots.txt was requested."""
    job, _, fetcher = await _handle("User-agent: ProductshotBot\nDisallow: /p/\n", None)
    assert job.status == JobStatus.FAILED and job.error is not None
    assert job.error["code"] == "robots_disallowed"
    assert fetcher.fetched == ["https://shop.example.com/robots.txt"]
