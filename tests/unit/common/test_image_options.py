"""The shared names of formats, encodings and styles, and the places that must agree with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.common.image_options import (
    DEFAULT_FORMAT,
    DEFAULT_OUTPUT,
    DEFAULT_STYLE,
    FORMAT_NAMES,
    FORMAT_SIZES,
    OUTPUT_NAMES,
    STYLE_NAMES,
    check_style,
)

SCHEMAS = Path(__file__).resolve().parents[3] / "services" / "common" / "event_schemas"


def test_every_format_name_has_a_size_and_defaults_are_names() -> None:
    """Each format name has a pixel size (and nothing else does); the defaults are known names."""
    assert tuple(FORMAT_SIZES) == FORMAT_NAMES
    assert all(w > 0 and h > 0 for w, h in FORMAT_SIZES.values())
    assert DEFAULT_FORMAT in FORMAT_NAMES and DEFAULT_OUTPUT in OUTPUT_NAMES and DEFAULT_STYLE in STYLE_NAMES


def test_job_accepted_schema_pins_the_same_format_and_output_names() -> None:
    """The JobAccepted event's enums are exactly the contract's format and output names."""
    text = (SCHEMAS / "JobAccepted" / "v1.json").read_text(encoding="utf-8")
    options = json.loads(text)["definitions"]["options"]["properties"]
    assert tuple(options["formats"]["items"]["enum"]) == FORMAT_NAMES
    assert tuple(options["output"]["enum"]) == OUTPUT_NAMES


def test_check_style_accepts_known_names_and_lists_them_otherwise() -> None:
    """A known style is returned as is; an unknown one is a ValueError naming the choices."""
    assert check_style("luxury") == "luxury"
    with pytest.raises(ValueError, match="studio"):
        check_style("baroque")
