"""The published event schemas are valid, self-consistent and their examples hold."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from services.common.events import BATCH_EVENTS, SCHEMAS_DIR, DetailType, validate_detail

SCHEMA_FILES = sorted(SCHEMAS_DIR.glob("*/v*.json"))
ENVELOPE = ("schemaVersion", "eventId", "tenant", "metadata", "occurredAt")
#: What the events about one job carry besides (the batch events carry batchId instead).
JOB_ENVELOPE = ("jobId", "attempt", "traceId")
_BATCH_FOLDERS = {t.value for t in BATCH_EVENTS}


def _load(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def test_every_detail_type_has_a_v1_schema() -> None:
    """Each DetailType has a folder with v1.json, and no folder names an unknown event."""
    folders = {p.name for p in SCHEMAS_DIR.iterdir() if p.is_dir()}
    assert folders == {t.value for t in DetailType}
    for detail_type in DetailType:
        assert (SCHEMAS_DIR / detail_type.value / "v1.json").is_file()


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_is_valid_draft07_with_id_title_description_examples(path: Path) -> None:
    """Every schema file is a valid draft-07 schema carrying $id, title, description and examples."""
    schema = _load(path)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    version = int(path.stem.removeprefix("v"))
    assert schema["$id"] == f"urn:productshot:events:{path.parent.name}:v{version}"
    assert schema["title"] and schema["description"] and schema["examples"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_examples_validate_through_the_publishers_validator(path: Path) -> None:
    """A schema's own examples pass validate_detail (the check every publish runs), formats included."""
    version = int(path.stem.removeprefix("v"))
    for example in _load(path)["examples"]:
        assert example["schemaVersion"] == version
        validate_detail(path.parent.name, example)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_version_property_pins_the_file_version(path: Path) -> None:
    """schemaVersion in vN.json only accepts N, so a detail can never claim the wrong contract."""
    version = int(path.stem.removeprefix("v"))
    assert _load(path)["properties"]["schemaVersion"]["enum"] == [version]


def _same(name: str, a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Declared the same way; a description may say job or batch (eventId, batchId, tenant, metadata)."""
    strip = ("description",) if name in ("eventId", "batchId", "tenant", "metadata") else ()
    return {k: v for k, v in a.items() if k not in strip} == {k: v for k, v in b.items() if k not in strip}


def test_common_envelope_fields_are_identical_in_every_schema() -> None:
    """The fields every event carries are declared the same way in all schemas (no drift);
    every job event carries the job's fields, every batch event its batchId."""
    first = _load(SCHEMAS_DIR / "JobAccepted" / "v1.json")
    for path in SCHEMA_FILES:
        schema = _load(path)
        own = ("batchId",) if path.parent.name in _BATCH_FOLDERS else JOB_ENVELOPE
        assert set(ENVELOPE) | set(own) <= set(schema["required"])
        for name in (*ENVELOPE, *own):
            assert _same(name, schema["properties"][name], first["properties"][name]), (path.parent.name, name)


def test_options_definition_is_shared_verbatim() -> None:
    """JobAccepted and ProductScraped describe the caller's options identically."""
    accepted = _load(SCHEMAS_DIR / "JobAccepted" / "v1.json")["definitions"]["options"]
    scraped = _load(SCHEMAS_DIR / "ProductScraped" / "v1.json")["definitions"]["options"]
    assert accepted == scraped


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_our_objects_forbid_unknown_properties(path: Path) -> None:
    """Top level and every object whose shape is ours has additionalProperties false (metadata stays free)."""
    schema = _load(path)
    assert schema["additionalProperties"] is False
    for definition in schema.get("definitions", {}).values():
        assert definition["additionalProperties"] is False
    assert "additionalProperties" not in schema["properties"]["metadata"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_examples_carry_no_presigned_url_or_secret(path: Path) -> None:
    """No example (and so no documented event) contains a presigned URL or credential material."""
    leak = re.compile(r"X-Amz-(Signature|Credential|Security-Token)|AWSAccessKeyId|sk-[A-Za-z0-9]{16,}", re.I)
    for example in _load(path)["examples"]:
        assert not [s for s in _strings(example) if leak.search(s)]


def test_image_key_that_is_a_url_is_rejected() -> None:
    """An image 'key' holding a (presigned) URL breaks the schema: events carry bucket + key only."""
    example = _load(SCHEMAS_DIR / "ProductImageGenerated" / "v1.json")["examples"][0]
    example["images"][0]["key"] = "https://productshot-images.s3.amazonaws.com/jobs/x.jpg?X-Amz-Signature=abc"
    with pytest.raises(jsonschema.ValidationError):
        validate_detail("ProductImageGenerated", example)


def test_unknown_top_level_property_is_rejected() -> None:
    """A producer cannot slip an undeclared field (say, a URL or a token) into a detail."""
    example = _load(SCHEMAS_DIR / "JobFailed" / "v1.json")["examples"][0]
    example["downloadUrl"] = "https://example.com/x"
    with pytest.raises(jsonschema.ValidationError, match="downloadUrl"):
        validate_detail("JobFailed", example)


def test_image_example_has_the_formats_sizes_and_the_overlay_text_the_renderer_joins() -> None:
    """ProductImageGenerated's example: each image's size is its format's (services/renderer/
    formats.py), and overlayText is what the renderer lays out for the ProductScraped
    example's product (brand, name, price, offer joined with " — ")."""
    from services.common.product import Product
    from services.renderer.formats import FORMATS
    from services.renderer.overlay.options import resolve_text

    (image_event,) = _load(SCHEMAS_DIR / "ProductImageGenerated" / "v1.json")["examples"]
    for image in image_event["images"]:
        assert (image["width"], image["height"]) == FORMATS[image["format"]]
    (scraped,) = _load(SCHEMAS_DIR / "ProductScraped" / "v1.json")["examples"]
    fields = {k: v for k, v in scraped["product"].items() if k in Product.__dataclass_fields__}
    text = resolve_text(Product(**fields))
    assert image_event["overlayText"] == " — ".join(p for p in (text.brand, text.name, text.price, text.offer) if p)
    render = (Path(__file__).resolve().parents[3] / "services" / "renderer" / "overlay" / "render.py").read_text()
    assert 'parts = [text.brand, _laid(blocks, "name"), text.price, text.offer]' in render
    assert '" — ".join(p for p in parts if p)' in render
