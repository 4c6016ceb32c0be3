"""The cached scene: one key whatever the model answered, stored with the type it really is."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.common.job_files import background_key, image_content_type


def _encoded(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt, content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                               ("WEBP", "image/webp")])
def test_a_scene_is_stored_with_the_content_type_of_its_bytes(fmt: str, content_type: str) -> None:
    """The model answers PNG, JPEG or WebP (RENDERER_SCENE_FORMAT, dall-e-3): the signature decides."""
    assert image_content_type(_encoded(fmt)) == content_type


def test_bytes_that_are_no_image_are_not_labelled_as_one() -> None:
    """A broken answer is never stored as image/png."""
    assert image_content_type(b"<html>oops</html>") == "application/octet-stream"


def test_the_scene_key_names_no_format_so_a_retry_finds_it_whatever_was_asked() -> None:
    """One key per job and attempt, under the job's prefix (deletion removes it with the job)."""
    assert background_key("j-1", 2) == "jobs/j-1/background-2"
