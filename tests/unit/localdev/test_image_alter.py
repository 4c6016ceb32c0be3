"""The local image server's altered-product mode: switched on, it stages an altered product."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator

import aiohttp
import pytest
from PIL import Image

from localdev.image_alter import ALTERATIONS, alter_product, pick_alteration
from localdev.image_api import ImageAPIServer
from localdev.image_api.__main__ import faults_from, parse_args
from localdev.image_faults import Faults
from tests.integration.pages import product_photo

AUTH = {"Authorization": "Bearer sk-local"}


@pytest.fixture
async def server() -> AsyncIterator[ImageAPIServer]:
    async with ImageAPIServer() as srv:
        yield srv


async def _edit(server: ImageAPIServer, photo: bytes) -> Image.Image:
    form = aiohttp.FormData()
    form.add_field("image", photo, filename="p.jpg", content_type="image/jpeg")
    form.add_field("prompt", "kettle on a table")
    form.add_field("model", "gpt-image-1")
    async with aiohttp.ClientSession() as http, \
            http.post(f"{server.base_url}/images/edits", data=form, headers=AUTH) as resp:
        assert resp.status == 200
        body = await resp.json()
    return Image.open(io.BytesIO(base64.b64decode(body["data"][0]["b64_json"]))).convert("RGB")


@pytest.mark.parametrize("kind", ALTERATIONS)
def test_each_alteration_changes_the_product_and_keeps_the_backdrop(kind: str) -> None:
    """The product's pixels change; the photo's corners (its backdrop) do not."""
    photo = Image.open(io.BytesIO(product_photo())).convert("RGB")
    altered = alter_product(photo, kind)
    assert altered.size == photo.size
    assert altered.getpixel((400, 450)) != photo.getpixel((400, 450))  # the middle of the bottle
    assert altered.getpixel((5, 5)) == photo.getpixel((5, 5))


async def test_alter_next_alters_the_next_answer_only_and_says_so_in_stats(server: ImageAPIServer) -> None:
    """A queued alteration is used once; the record of that request names it."""
    photo = product_photo()
    honest = await _edit(server, photo)
    async with aiohttp.ClientSession() as http, \
            http.post(f"{server.url}/_control", json={"alter_next": ["recolour"]}) as resp:
        assert resp.status == 200 and (await resp.json())["alter_next"] == ["recolour"]
    altered = await _edit(server, photo)
    again = await _edit(server, photo)
    assert altered.tobytes() != honest.tobytes() and again.tobytes() == honest.tobytes()
    assert [r.get("altered") for r in server.stats.recent] == [None, "recolour", None]


def test_the_switches_validate_and_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown kinds and rates outside 0..1 are refused; IMAGE_API_ALTER_* set the start-up mode."""
    with pytest.raises(ValueError, match="unknown alterations"):
        Faults().update({"alter_kinds": ["melt"]})
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults().update({"alter_rate": 2})
    monkeypatch.setenv("IMAGE_API_ALTER_RATE", "0.5")
    monkeypatch.setenv("IMAGE_API_ALTER_KINDS", "warp,label")
    faults = faults_from(parse_args([]))
    assert (faults.alter_rate, faults.alter_kinds) == (0.5, ["warp", "label"])
    assert pick_alteration([], 0.0, ["warp"]) is None and pick_alteration(["label"], 0.0, []) == "label"
