"""Facts the docs state about settings and queues hold in the code."""

from __future__ import annotations

import re
from pathlib import Path

from services.common.consumer import ConsumerConfig
from services.common.settings import CommonSettings
from services.common.topology import load_topology

ROOT = Path(__file__).resolve().parents[3]


def test_readme_states_aws_regions_default() -> None:
    """README's configuration table gives AWS_REGION the default CommonSettings uses."""
    default = CommonSettings.model_fields["aws_region"].default
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith("| `AWS_REGION` |")]
    assert f"`{default}`" in row


def test_generation_doc_states_the_render_queue_timeout_and_heartbeat() -> None:
    """docs/generation.md: the render queue's visibility timeout is topology's, and the
    heartbeat extends a message every third of it (ConsumerConfig.heartbeat_every)."""
    timeout = load_topology()["queues"]["render-requests"]["visibility_timeout_seconds"]
    beat = ConsumerConfig(queue_name="render-requests", visibility_timeout=timeout).heartbeat_every
    doc = " ".join((ROOT / "docs" / "generation.md").read_text(encoding="utf-8").split())
    assert f"it is {timeout} s" in doc
    assert f"every third of that timeout ({beat:g} s)" in doc
    assert re.search(rf"visible again within {timeout} s", doc)
