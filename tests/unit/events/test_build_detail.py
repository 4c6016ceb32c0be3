"""build_detail() for a realistic job produces details that satisfy the published schemas."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict
from typing import Any

import jsonschema
import pytest

from services.common.events import BATCH_EVENTS, DetailType, build_detail, event_id_for, source_for, validate_detail
from services.common.job import ImageRecord, Job, JobOptions
from services.common.job_states import STAGE, JobStatus
from services.common.product import Product

JOB_ID = "0d9c4b8e-21f3-4c55-8a9e-6f1b2c3d4e5f"

#: build_detail builds the events about one job (services/common/batch_events.py builds the batch ones).
JOB_EVENTS = [t for t in DetailType if t not in BATCH_EVENTS]


def _job(**overrides: Any) -> Job:
    fields: dict[str, Any] = {
        "jobId": JOB_ID,
        "tenant": "acme",
        "productUrl": "https://shop.example.com/p/espresso-machine?ref=ads",
        "options": JobOptions(formats=["square", "landscape", "story"], output="webp", style="lifestyle"),
        # Caller metadata is arbitrary JSON: nested objects, lists, numbers, nulls, unicode.
        "metadata": {"campaign": "Frühling", "ids": [1, 2.5, None], "nested": {"ok": True}},
    }
    fields.update(overrides)
    return Job.new(ttl_hours=24, status=JobStatus.PENDING, **fields)


def _options(job: Job) -> dict[str, Any]:
    return {"formats": job.options.formats, "output": job.options.output, "style": job.options.style}


def _product() -> dict[str, Any]:
    return Product(
        name="Espresso Machine Pro 2", price="349.00", currency="EUR", regularPrice="429.00", offer="-19%",
        availability="InStock", brand="Caffè Uno", sku="EMP-2", gtin="08712345678906",
        description="Dual boiler, PID controlled.", images=["https://cdn.shop.example.com/emp2.jpg"],
        language="de-DE", url="https://shop.example.com/p/espresso-machine",
    ).to_dict()


def _images(job: Job) -> list[dict[str, Any]]:
    sizes = {"square": (1024, 1024), "landscape": (1536, 1024), "story": (1024, 1536)}
    return [
        asdict(ImageRecord(format=f, key=f"jobs/{job.jobId}/{f}.webp", bucket="productshot-images",
                           contentType="image/webp", width=sizes[f][0], height=sizes[f][1], size=201_337,
                           output="webp"))
        for f in job.options.formats
    ]


def _payload(detail_type: DetailType, job: Job) -> dict[str, Any]:
    if detail_type is DetailType.JOB_ACCEPTED:
        return {"productUrl": job.productUrl, "mode": "scrape", "options": _options(job)}
    if detail_type is DetailType.PRODUCT_SCRAPED:
        source_key = f"jobs/{job.jobId}/source.jpg"
        return {"product": _product(), "sourceImageKey": source_key, "options": _options(job)}
    if detail_type is DetailType.PRODUCT_NEEDS_REVIEW:
        context = "Espresso Machine Pro 2 349,00 € 359,00 € In den Warenkorb"
        candidates = [{"value": v, "source": "dom", "path": "product container", "context": context,
                       "confidence": 0.5} for v in ("349.00", "359.00")]
        return {"product": _product(), "reviewFacts": ["price"], "reviewPath": f"/v1/jobs/{job.jobId}/review",
                "facts": {"price": {"confidence": 0.5, "source": "dom", "path": "", "candidates": candidates}}}
    if detail_type is DetailType.IMAGE_GENERATED:
        overlay = "Espresso Machine Pro 2 · 349,00 €"
        return {"images": _images(job), "model": "gpt-image-1", "overlayText": overlay}
    return {"stage": "scrape", "reason": "The product page answered 404.", "retryable": False}


@pytest.mark.parametrize("detail_type", JOB_EVENTS)
def test_build_detail_output_validates(detail_type: DetailType) -> None:
    """A detail built the way the services build it passes its v1 schema, formats included."""
    job = _job()
    detail = build_detail(detail_type, job, _payload(detail_type, job))
    validate_detail(detail_type.value, detail)


@pytest.mark.parametrize("detail_type", JOB_EVENTS)
def test_detail_survives_the_json_round_trip(detail_type: DetailType) -> None:
    """What subscribers receive (the JSON the publisher sends) still validates."""
    job = _job()
    detail = json.loads(json.dumps(build_detail(detail_type, job, _payload(detail_type, job))))
    validate_detail(detail_type.value, detail)


def test_envelope_fields_have_the_published_shape() -> None:
    """eventId is the deterministic uuid5, traceId 32 hex, occurredAt millisecond UTC with Z."""
    job = _job(attempt=3)
    detail = build_detail(DetailType.JOB_FAILED, job, _payload(DetailType.JOB_FAILED, job))
    assert detail["eventId"] == event_id_for(job, DetailType.JOB_FAILED)
    assert uuid.UUID(detail["eventId"]).version == 5
    assert detail["attempt"] == 3 and detail["schemaVersion"] == 1
    assert re.fullmatch(r"[0-9a-f]{32}", detail["traceId"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", detail["occurredAt"])


def test_event_id_differs_per_type_and_attempt_but_not_per_publish() -> None:
    """Re-publishing is the same event (dedupe); another type or attempt is a different one."""
    job = _job()
    first = build_detail(DetailType.JOB_ACCEPTED, job, _payload(DetailType.JOB_ACCEPTED, job))
    again = build_detail(DetailType.JOB_ACCEPTED, job, _payload(DetailType.JOB_ACCEPTED, job))
    assert first["eventId"] == again["eventId"]
    assert event_id_for(job, DetailType.JOB_FAILED) != first["eventId"]
    assert event_id_for(_job(attempt=2), DetailType.JOB_ACCEPTED) != first["eventId"]


def test_product_mode_job_accepted_without_url_validates() -> None:
    """A job created from product facts (no URL to scrape) is announced with productUrl null."""
    job = _job(productUrl=None)
    detail = build_detail(DetailType.JOB_ACCEPTED, job, {"productUrl": None, "mode": "product",
                                                         "options": _options(job)})
    validate_detail(DetailType.JOB_ACCEPTED.value, detail)


def test_options_with_overlay_settings_validate() -> None:
    """The whole JobOptions (including the caller's overlay settings) is an accepted options value."""
    job = _job(options=JobOptions(formats=["square"], overlay={"position": "bottom", "showPrice": True}))
    payload = {"productUrl": job.productUrl, "mode": "scrape", "options": asdict(job.options)}
    validate_detail(DetailType.JOB_ACCEPTED.value, build_detail(DetailType.JOB_ACCEPTED, job, payload))


def test_sparse_product_with_unknown_facts_validates() -> None:
    """A page that only yields a name (everything else unknown) is still a valid ProductScraped."""
    job = _job()
    product = Product(name="Mystery item").to_dict()
    payload = {"product": product, "sourceImageKey": None, "options": _options(job)}
    validate_detail(DetailType.PRODUCT_SCRAPED.value, build_detail(DetailType.PRODUCT_SCRAPED, job, payload))


def test_every_failure_stage_the_pipeline_uses_is_in_the_schema() -> None:
    """Each stage a job can fail in (job_states.STAGE) is an allowed JobFailed.stage."""
    for stage in set(STAGE.values()):
        job = _job()
        detail = build_detail(DetailType.JOB_FAILED, job, {"stage": stage, "reason": "x", "retryable": False})
        validate_detail(DetailType.JOB_FAILED.value, detail)


@pytest.mark.parametrize(
    ("detail_type", "field", "value"),
    [
        (DetailType.JOB_ACCEPTED, "mode", "crawl"),
        (DetailType.PRODUCT_SCRAPED, "product", {"name": "x"}),
        (DetailType.IMAGE_GENERATED, "images", []),
        (DetailType.JOB_FAILED, "stage", "billing"),
        (DetailType.JOB_FAILED, "traceId", "not-a-trace"),
        (DetailType.JOB_FAILED, "occurredAt", "2025-03-14 09:26:55"),
        (DetailType.JOB_FAILED, "jobId", "job-1"),
        (DetailType.JOB_FAILED, "attempt", 0),
        (DetailType.JOB_FAILED, "metadata", ["not", "an", "object"]),
    ],
)
def test_broken_details_are_rejected(detail_type: DetailType, field: str, value: Any) -> None:
    """Wrong enum values, missing product facts, empty image lists and malformed ids are refused."""
    job = _job()
    detail = build_detail(detail_type, job, _payload(detail_type, job))
    detail[field] = value
    with pytest.raises(jsonschema.ValidationError):
        validate_detail(detail_type.value, detail)


def test_sources_are_the_topology_sources() -> None:
    """Each source is stable and comes from infra/topology.json; JobFailed names the failing service."""
    assert source_for(DetailType.JOB_ACCEPTED) == "productshot.api"
    assert source_for(DetailType.PRODUCT_SCRAPED) == "productshot.scraper"
    assert source_for(DetailType.IMAGE_GENERATED) == "productshot.renderer"
    assert source_for(DetailType.JOB_FAILED, "renderer") == "productshot.renderer"
