from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageStat

from services.common.product import Product
from services.renderer.generation.base import GenerationRequest
from services.renderer.generation.offline import OfflineGenerator


def photo_on_white() -> bytes:
    """A packshot: a blue bottle on a white backdrop."""
    im = Image.new("RGB", (600, 800), (250, 250, 250))
    draw = ImageDraw.Draw(im)
    draw.rounded_rectangle((200, 200, 400, 720), 50, fill=(30, 110, 180))
    draw.rectangle((250, 100, 350, 210), fill=(40, 40, 40))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    assert im.format == "PNG"
    return im.convert("RGB")


async def test_photo_becomes_a_cut_out_on_its_own_colours() -> None:
    """The white backdrop is removed: the corners show a blue-tinted gradient, the
    product's blue sits in the middle, and the output has the requested size."""
    gen = OfflineGenerator()
    result = await gen.generate(
        GenerationRequest(Product(name="Bottle"), size="1024x1536", photo=photo_on_white())
    )
    im = decode(result.data)
    assert im.size == (1024, 1536) and result.model == "offline"
    corner = im.getpixel((20, 20))
    assert corner != (250, 250, 250) and corner[2] > corner[0]  # type: ignore[index]
    r, g, b = im.getpixel((512, int(1536 * 0.42)))  # type: ignore[misc]
    assert b > 150 and r < 80


async def test_output_is_deterministic() -> None:
    """The same request gives byte-identical images (retries do not change the picture)."""
    gen = OfflineGenerator()
    request = GenerationRequest(Product(name="Bottle"), photo=photo_on_white())
    assert (await gen.generate(request)).data == (await gen.generate(request)).data


async def test_scene_photos_are_framed() -> None:
    """A photo without a plain backdrop is kept whole, framed, centred on the gradient."""
    scene = Image.merge("RGB", [Image.linear_gradient("L").rotate(a) for a in (0, 90, 180)])
    buf = io.BytesIO()
    scene.save(buf, "PNG")
    im = decode((await OfflineGenerator().generate(GenerationRequest(Product(), photo=buf.getvalue()))).data)
    assert im.size == (1024, 1024)
    assert ImageStat.Stat(im.crop((400, 350, 620, 500))).stddev[0] > 20  # the photo's own detail


@pytest.mark.parametrize("photo", [None, b"not an image"])
async def test_without_a_usable_photo_a_designed_layout(photo: bytes | None) -> None:
    """No (or a broken) photo gives a typographic composition, not a flat colour."""
    request = GenerationRequest(Product(name="Leather Bag", brand="Maison Verte"), photo=photo)
    im = decode((await OfflineGenerator().generate(request)).data)
    assert len(im.getcolors(maxcolors=1 << 20) or []) > 100
    assert ImageStat.Stat(im).stddev[0] > 5


async def test_bad_size_is_rejected() -> None:
    """A malformed size is a caller error, reported as ValueError."""
    with pytest.raises(ValueError):
        await OfflineGenerator().generate(GenerationRequest(Product(), size="huge"))
