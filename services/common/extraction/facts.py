"""Candidates for the plain facts (name, brand, sku, gtin, ...), their choice and confidence.

Each source offers a value in priority order; the first is taken. Its confidence starts
from how much its source is trusted and moves with the others: an independent source
saying the same raises it, one saying something else lowers it. Deterministic and cheap:
a handful of candidates per field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from services.common.fact_evidence import MAX_CONTEXT, Candidate, Evidence, FactEvidence

from .text import clean_text

__all__ = ["SOURCE_TRUST", "trust", "Offered", "FactBook", "same_text", "similar_words", "agree"]

# How often each source's value was right on real shop pages (docs/extraction.md, "Calibration").
SOURCE_TRUST: dict[str, float] = {
    "jsonld": 0.86,
    "microdata": 0.84,
    "rdfa": 0.8,
    "embedded": 0.8,
    "meta": 0.75,
    "dom:label": 0.7,
    "dom:form": 0.75,
    "dom": 0.62,
    "url": 1.0,
}


def trust(source: str) -> float:
    return SOURCE_TRUST.get(source, SOURCE_TRUST.get(source.split(":")[0], 0.5))


def _independent(a: str, b: str) -> bool:
    # Two embedded states of one platform, or two DOM readings, are one witness.
    return a.split(":")[0] != b.split(":")[0] or a == "dom:label" != b


def agree(base: float, agreeing: int, disagreeing: int) -> float:
    """Each independent agreeing source halves the doubt; each dissenting one costs a step."""
    doubt = (1.0 - base) * (0.5**agreeing)
    return max(0.05, min(0.99, 1.0 - doubt - 0.15 * disagreeing))


@dataclass(frozen=True, slots=True)
class Offered:
    value: str | None
    source: str
    path: str = ""
    context: str = ""


def same_text(a: str, b: str) -> bool:
    return a.casefold().strip() == b.casefold().strip()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def similar_words(a: str, b: str) -> bool:
    """Titles agree when most words of the shorter appear in the longer ("| Shop" suffixes)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) >= 0.6 * min(len(wa), len(wb))


@dataclass(slots=True)
class FactBook:
    """The evidence gathered so far; ``choose`` records one field's candidates and decision."""

    evidence: Evidence = field(default_factory=dict)

    def choose(
        self,
        name: str,
        offered: Iterable[Offered],
        same: Callable[[str, str], bool] = same_text,
        *,
        penalty: float = 0.0,
    ) -> str | None:
        seen = [o for o in offered if clean_text(o.value)]
        if not seen:
            return None
        chosen = seen[0]
        value = clean_text(chosen.value) or ""
        confidence = self.weigh(chosen.source, value, seen, same) - penalty
        self.record(name, chosen, confidence, seen, value=value)
        return value

    @staticmethod
    def weigh(source: str, value: str, seen: list[Offered], same: Callable[[str, str], bool]) -> float:
        agreeing: set[str] = set()
        disagreeing: set[str] = set()
        for other in seen:
            text = clean_text(other.value) or ""
            if other.source == source or not _independent(source, other.source):
                continue
            (agreeing if same(value, text) else disagreeing).add(other.source.split(":")[0])
        return agree(trust(source), len(agreeing), len(disagreeing - agreeing))

    def record(
        self,
        name: str,
        chosen: Offered,
        confidence: float,
        seen: Iterable[Offered] = (),
        *,
        value: str | None = None,
    ) -> None:
        candidates = [
            Candidate(
                value=clean_text(o.value) or "",
                source=o.source,
                path=o.path,
                context=o.context[:MAX_CONTEXT],
                confidence=round(trust(o.source), 3),
            )
            for o in seen
        ]
        self.evidence[name] = FactEvidence(
            confidence=round(max(0.0, min(1.0, confidence)), 3),
            source=chosen.source,
            path=chosen.path,
            candidates=candidates,
        )
