"""The renderer's handler runs the gate: the report is stored and published, failures fail the job."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from services.common.job import Job, JobOptions
from services.common.job_files import background_key
from services.common.job_states import JobStatus
from services.common.messages import JobRef
from services.common.product import Product
from services.renderer.generation.base import GeneratedImage, GenerationRequest
from services.renderer.handler import RenderHandler
from services.renderer.quality.errors import QualityGateError
from services.renderer.quality.ocr import tesseract_available
from tests.fakes import InMemoryJobFiles, InMemoryJobStore
from tests.unit.renderer.quality.scenes import PHOTOS, staged

pytestmark = pytest.mark.skipif(
    not tesseract_available(), reason="tesseract-ocr is not installed (apt-get install tesseract-ocr)")

PHOTO = PHOTOS["plain"]()
KETTLE = Product(name="Copper Kettle", price="129.00", currency="USD", brand="Northwind")


class _Model:
    name = "fake-model"

    def __init__(self, *alterations: str | None) -> None:
        self._script = list(alterations)

    async def generate(self, request: GenerationRequest) -> GeneratedImage:
        assert request.photo is not None
        return GeneratedImage(staged(request.photo, self._script.pop(0)), self.name)

    async def aclose(self) -> None:
        return None


class _Handler(RenderHandler):
    async def advance(self, ref: JobRef, fields: dict[str, object]) -> Job:
        self.advanced = fields
        return Job(jobId=ref.job_id, status=JobStatus.COMPLETED)


class _Stored:
    """The shared in-memory store, seen through the job's stored fields."""

    def __init__(self, job: Job) -> None:
        self.store = InMemoryJobStore([copy.deepcopy(job)])

    @property
    def fields(self) -> dict[str, Any]:
        return {"qa": self.store.jobs["j1"].qa, "model": self.store.jobs["j1"].model}


def _run(model: _Model, **options: Any) -> tuple[_Handler, _Stored, InMemoryJobFiles, Job]:
    job = Job(jobId="j1", status=JobStatus.RENDERING, product=KETTLE.to_dict(), sourceImageKey="sources/j1.jpg",
              options=JobOptions(formats=["square"], output="png", **options))
    store, storage = _Stored(job), InMemoryJobFiles("images")
    storage.stored[("images", "sources/j1.jpg")] = (PHOTO, "image/jpeg")
    handler = _Handler(store=store.store, publisher=None, generator=model, storage=storage,  # type: ignore[arg-type]
                       worker_id="w1", lease_seconds=30)
    return handler, store, storage, job


async def test_an_altered_scene_is_fixed_and_the_report_travels_with_the_job() -> None:
    """Altered twice: composited; the job advances with a qa report naming the action per subject."""
    handler, store, _, job = _run(_Model("recolour", "label"))
    await handler.work(job, JobRef("j1", 1))
    qa: Any = handler.advanced["qa"]
    assert qa["passed"] is True
    assert [(r["subject"], r["action"]) for r in qa["images"]] == [("scene", "composited"), ("square", "none")]
    assert store.fields["qa"]["images"][0]["action"] == "composited"  # kept with the cached scene


async def test_fail_on_fidelity_fails_the_job_and_keeps_the_report() -> None:
    """onFidelityFailure=fail: a permanent error; the stored qa says which checks failed."""
    handler, store, storage, job = _run(_Model("warp", "warp"), onFidelityFailure="fail")
    with pytest.raises(QualityGateError, match="changed the product twice"):
        await handler.work(job, JobRef("j1", 1))
    assert store.fields["qa"]["passed"] is False
    assert not any(key.startswith("jobs/j1/square") for key in storage.objects)


async def test_text_that_does_not_read_back_fails_the_job_and_stores_nothing() -> None:
    """A price the fonts cannot draw: re-laid, still unreadable, the job fails with the reason."""
    handler, store, storage, job = _run(_Model(None))
    job.options.overlay = {"price": {"text": "฿๑๒๙.๐๐"}}
    with pytest.raises(QualityGateError, match="square: ocr.price"):
        await handler.work(job, JobRef("j1", 1))
    assert [r["action"] for r in store.fields["qa"]["images"]] == ["none", "failed"]
    assert "jobs/j1/square.png" not in storage.objects


async def test_a_cached_scene_keeps_the_report_it_was_gated_with() -> None:
    """A render retried after the scene was cached reuses the scene and its stored scene report."""
    handler, _, storage, job = _run(_Model())  # no model call is scripted: it must not be made
    storage.stored[("images", background_key("j1", 1))] = (staged(PHOTO), "image/jpeg")
    job.model = "fake-model"
    job.qa = {"passed": True, "images": [{"subject": "scene", "passed": True, "action": "regenerated", "checks": [
        {"check": "fidelity.colour", "score": 1.2, "threshold": 12.0, "passed": True, "direction": "max"}]}]}
    await handler.work(job, JobRef("j1", 1))
    qa: Any = handler.advanced["qa"]
    assert qa["images"][0] == job.qa["images"][0]
    assert qa["images"][1]["subject"] == "square"
