"""The shape of one corpus page: where it lives, its markup and what a person reads on it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Page", "ld", "NO_PRICE"]

NO_PRICE = "no price in the page HTML"


def ld(value: Any) -> str:
    """A JSON-LD script block."""
    return f'<script type="application/ld+json">{json.dumps(value, ensure_ascii=False, indent=1)}</script>'


@dataclass
class Page:
    name: str
    locale: str
    url: str
    head: str
    product: str
    expected: dict[str, Any] = field(default_factory=dict)
    skeleton: str = "a"
    gzip: bool = False
    encoding: str = "utf-8"
    title: str = ""
