"""The services' own event helpers emit details that pass the published schemas."""

from __future__ import annotations

import json
from typing import Any

from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.events import DetailType, validate_detail
from services.common.job import ImageRecord, Job, JobOptions
from services.common.job_states import JobStatus
from services.common.product import Product
from services.common.stage_events import publish_image_generated, publish_product_scraped


class RecordingEventsClient:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    async def put_events(self, *, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.entries.extend(Entries)
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "e"} for _ in Entries]}


def _job() -> Job:
    job = Job.new(ttl_hours=24, status=JobStatus.RENDERING, tenant="acme",
                  productUrl="https://shop.example.com/p/1", metadata={"campaign": "x"},
                  options=JobOptions(formats=["square", "story"], output="png"))
    job.product = Product(name="Lamp", price="19.99", currency="GBP", images=["https://shop.example.com/l.jpg"],
                          url="https://shop.example.com/p/1").to_dict()
    job.sourceImageKey = f"jobs/{job.jobId}/source.jpg"
    job.images = [ImageRecord(format=f, key=f"jobs/{job.jobId}/{f}.png", bucket="productshot-images",
                              contentType="image/png", width=1024, height=1024, size=90_000, output="png")
                  for f in job.options.formats]
    job.model, job.overlayText = "offline", "Lamp £19.99"
    return job


async def test_scraper_product_scraped_event_is_valid_and_published() -> None:
    """publish_product_scraped sends a ProductScraped the schema accepts, from productshot.scraper."""
    client = RecordingEventsClient()
    await publish_product_scraped(EventBridgePublisher(client, "productshot"), _job())
    [entry] = client.entries
    assert (entry["Source"], entry["DetailType"]) == ("productshot.scraper", DetailType.PRODUCT_SCRAPED.value)
    validate_detail(entry["DetailType"], json.loads(entry["Detail"]))


async def test_renderer_image_generated_event_is_valid_and_published() -> None:
    """publish_image_generated sends a valid ProductImageGenerated, from productshot.renderer."""
    client = RecordingEventsClient()
    await publish_image_generated(EventBridgePublisher(client, "productshot"), _job())
    [entry] = client.entries
    assert entry["Source"] == "productshot.renderer"
    assert entry["DetailType"] == DetailType.IMAGE_GENERATED.value
    detail = json.loads(entry["Detail"])
    validate_detail(entry["DetailType"], detail)
    assert [i["format"] for i in detail["images"]] == ["square", "story"]
