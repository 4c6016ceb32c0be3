"""docs/events.md cannot drift from the schemas: its examples are theirs and its patterns do what they say."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from services.common.events import SCHEMAS_DIR, DetailType, source_for, validate_detail

DOC = Path(__file__).resolve().parents[3] / "docs" / "events.md"
_BLOCK = re.compile(r"^```json (?P<info>[^\n]*)\n(?P<body>.*?)^```", re.M | re.S)


def _blocks(kind: str) -> list[tuple[dict[str, str], Any]]:
    """Fenced ```json <kind> key=value``` blocks of the doc: (their attributes, parsed JSON)."""
    found = []
    for match in _BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        words = match["info"].split()
        if words and words[0].split("=", 1)[0] == kind:
            attributes = dict(word.split("=", 1) for word in words if "=" in word)
            found.append((attributes, json.loads(match["body"])))
    return found


def _first_example(detail_type: str) -> dict[str, Any]:
    schema = json.loads((SCHEMAS_DIR / detail_type / "v1.json").read_text(encoding="utf-8"))
    example: dict[str, Any] = schema["examples"][0]
    return example


def _matches(pattern: Any, value: Any) -> bool:
    """The subset of EventBridge pattern matching the doc uses: literals, prefix, nesting."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            key in value and _matches(sub, value[key]) for key, sub in pattern.items()
        )
    values = value if isinstance(value, list) else [value]
    for option in pattern:
        if isinstance(option, dict):
            prefix = option.get("prefix")
            if prefix is not None and any(isinstance(v, str) and v.startswith(prefix) for v in values):
                return True
        elif option in values:
            return True
    return False


def _examples(detail_type: str) -> list[dict[str, Any]]:
    schema = json.loads((SCHEMAS_DIR / detail_type / "v1.json").read_text(encoding="utf-8"))
    examples: list[dict[str, Any]] = schema["examples"]
    return examples


def _envelope(detail_type: DetailType, detail: dict[str, Any]) -> dict[str, Any]:
    service = {"queued": "api", "scrape": "scraper", "render": "renderer"}.get(detail.get("stage", ""))
    return {"version": "0", "id": "x", "detail-type": detail_type.value,
            "source": source_for(detail_type, service), "account": "111122223333",
            "time": "2025-03-14T09:27:41Z", "region": "eu-west-1", "resources": [], "detail": detail}


def _all_envelopes() -> list[dict[str, Any]]:
    return [_envelope(t, detail) for t in DetailType for detail in _examples(t.value)]


def test_every_event_has_a_documented_example_equal_to_its_schema_example() -> None:
    """Each detail-type has exactly one example in the doc and it is the schema's first example."""
    documented = {attributes["detail"]: body for attributes, body in _blocks("detail")}
    assert set(documented) == {t.value for t in DetailType}
    for detail_type, body in documented.items():
        assert body == _first_example(detail_type), f"update the {detail_type} example in docs/events.md"
        validate_detail(detail_type, body)


def test_envelope_example_is_a_valid_eventbridge_event() -> None:
    """The envelope example has EventBridge's fields and a detail that validates against its schema."""
    [(_, envelope)] = _blocks("envelope")
    fields = {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
    assert fields <= set(envelope)
    assert envelope["source"] == source_for(DetailType(envelope["detail-type"]))
    assert envelope["detail"] == _first_example(envelope["detail-type"])
    validate_detail(envelope["detail-type"], envelope["detail"])


def test_tenant_images_pattern_is_the_published_one() -> None:
    """The headline 'all images of one tenant' pattern is spelled exactly as agreed."""
    patterns = [body for _, body in _blocks("pattern")]
    assert {"source": ["productshot.renderer"], "detail-type": ["ProductImageGenerated"],
            "detail": {"tenant": ["acme"]}} in patterns


@pytest.mark.parametrize("index", range(len(_blocks("pattern"))))
def test_rule_pattern_matches_exactly_the_events_it_claims(index: int) -> None:
    """Each copy-paste pattern matches the kinds of example events it says it does, and no other."""
    attributes, pattern = _blocks("pattern")[index]
    matched = {e["detail-type"] for e in _all_envelopes() if _matches(pattern, e)}
    assert matched == set(attributes["matches"].split(","))


def test_tenant_pattern_ignores_other_tenants() -> None:
    """The tenant pattern lets acme's images through and keeps another tenant's out."""
    pattern = {"source": ["productshot.renderer"], "detail-type": ["ProductImageGenerated"],
               "detail": {"tenant": ["acme"]}}
    detail = _first_example(DetailType.IMAGE_GENERATED.value)
    assert _matches(pattern, _envelope(DetailType.IMAGE_GENERATED, detail))
    other = dict(detail, tenant="globex")
    assert not _matches(pattern, _envelope(DetailType.IMAGE_GENERATED, other))


def test_stage_pattern_keeps_only_render_failures() -> None:
    """Filtering on detail.stage matches the render failure example and not the scrape one."""
    pattern = {"source": [{"prefix": "productshot."}], "detail-type": ["JobFailed"],
               "detail": {"stage": ["render"]}}
    stages = [e["detail"]["stage"] for e in _all_envelopes() if _matches(pattern, e)]
    assert stages == ["render"]
