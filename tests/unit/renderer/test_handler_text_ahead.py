"""The renderer lays the text out while the model paints the scene, and uses that layout."""

from __future__ import annotations

import asyncio
import io
import threading
from typing import Any

import pytest
from PIL import Image

from services.common.job import Job, JobOptions
from services.common.job_states import JobStatus
from services.common.messages import JobRef
from services.common.product import Product
from services.renderer import handler as handler_module
from services.renderer.generation.base import GeneratedImage, GenerationRequest
from services.renderer.handler import RenderHandler
from services.renderer.overlay import lay_out_text, render_variant
from tests.fakes import InMemoryJobFiles, InMemoryJobStore, RecordingPublisher

PRODUCT = Product(name="Trail Runner GTX", price="89.90", regularPrice="119.90", currency="EUR", language="de")


def _png(size: tuple[int, int] = (1024, 1024)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (40, 90, 140)).save(buf, "PNG")
    return buf.getvalue()


class _Generator:
    """Answers only once the text layout has run (or after 5 s, recorded as not); or
    fails at once."""

    name = "fake"

    def __init__(self, laid_out: threading.Event, fail: bool = False) -> None:
        self._laid_out = laid_out
        self._fail = fail
        self.saw_layout: bool | None = None

    async def generate(self, request: GenerationRequest) -> GeneratedImage:
        if self._fail:
            raise RuntimeError("model down")  # at once: the layout is still running
        self.saw_layout = await asyncio.to_thread(self._laid_out.wait, 5.0)
        return GeneratedImage(_png(), "fake")

    async def aclose(self) -> None:
        return None


class _Handler(RenderHandler):
    async def advance(self, ref: JobRef, fields: dict[str, object]) -> Job:
        self.advanced = fields
        return Job(jobId=ref.job_id, status=JobStatus.COMPLETED)


def _handler(generator: _Generator, storage: InMemoryJobFiles) -> _Handler:
    store = InMemoryJobStore([Job(jobId="j1", status=JobStatus.RENDERING)])
    return _Handler(store=store, publisher=RecordingPublisher(), generator=generator, storage=storage,
                    worker_id="w1", lease_seconds=30)


def _job(formats: list[str], product: Product = PRODUCT) -> Job:
    return Job(jobId="j1", status=JobStatus.RENDERING, product=product.to_dict(),
               options=JobOptions(formats=formats, output="png"))


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    event = threading.Event()
    real = handler_module._lay_out

    def recording(*args: Any) -> Any:
        result = real(*args)
        event.set()
        return result

    monkeypatch.setattr(handler_module, "_lay_out", recording)
    return event


async def test_text_is_laid_out_while_the_model_works(laid_out: threading.Event) -> None:
    storage = InMemoryJobFiles("images")
    generator = _Generator(laid_out)
    handler = _handler(generator, storage)
    await handler.work(_job(["square", "bogus", "story"]), JobRef("j1", 1))
    assert generator.saw_layout is True
    images = handler.advanced["images"]
    assert [(i["format"], i["width"], i["height"]) for i in images] == [("square", 1080, 1080), ("story", 1080, 1920)]
    # The stored square is exactly what a render without a prepared layout gives.
    with Image.open(io.BytesIO(storage.objects["jobs/j1/square.png"])) as stored:
        expected = render_variant(Image.open(io.BytesIO(_png())), PRODUCT, format="square").image
        assert stored.tobytes() == expected.convert(stored.mode).tobytes()
    assert "89,90" in handler.advanced["overlayText"]  # type: ignore[operator]


async def test_a_failed_generation_leaves_no_layout_thread_behind(laid_out: threading.Event) -> None:
    generator = _Generator(laid_out, fail=True)
    with pytest.raises(RuntimeError, match="model down"):
        # Text no other test lays out, so no cache makes the layout instant.
        product = Product(name="Wanderschuh Alpin Pro, wasserdicht", price="149.00", currency="EUR", language="de")
        handler = _handler(generator, InMemoryJobFiles("images"))
        await handler.work(_job(["square", "landscape", "story"], product), JobRef("j1", 1))
    assert laid_out.is_set()


def test_a_layer_is_for_one_format() -> None:
    layer = lay_out_text(PRODUCT, format="landscape")
    with pytest.raises(ValueError, match="'landscape', not 'square'"):
        render_variant(Image.new("RGB", (1024, 1024)), PRODUCT, format="square", layer=layer)


@pytest.mark.parametrize("fmt", ["square", "landscape", "story"])
def test_a_prepared_layer_renders_the_same_pixels(fmt: str) -> None:
    scene = Image.open(io.BytesIO(_png()))
    ahead = render_variant(scene, PRODUCT, format=fmt, layer=lay_out_text(PRODUCT, format=fmt))
    inline = render_variant(scene, PRODUCT, format=fmt)
    assert ahead.image.tobytes() == inline.image.tobytes()
    assert ahead.overlay_text == inline.overlay_text
