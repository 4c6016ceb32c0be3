"""Read access to infra/topology.json, the single source of truth for names and settings."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["TOPOLOGY_PATH", "load_topology"]

TOPOLOGY_PATH = Path(__file__).resolve().parents[2] / "infra" / "topology.json"


@lru_cache(maxsize=1)
def load_topology() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TOPOLOGY_PATH.read_text(encoding="utf-8"))
    return data
