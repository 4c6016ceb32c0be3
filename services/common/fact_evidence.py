"""How sure the scraper is of each product fact, and where each one came from.

The scraper returns a ``Product`` (the values) and a ``FactEvidence`` per field it found
(the confidence, the source, and the other candidates it weighed). The evidence travels
beside the product (job record, ``GET /v1/jobs/{id}``, events), never inside it, so the
product's shape stays the one every consumer already reads.

Whether an uncertain fact may be printed is decided by the caller's policy
(``fact_policy.py``), never here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Candidate", "FactEvidence", "Evidence", "evidence_to_dict", "evidence_from_dict"]

# The longest ``context`` kept for a candidate: enough for a person to see where it stood.
MAX_CONTEXT = 200


@dataclass(frozen=True, slots=True)
class Candidate:
    """One value the page offered for a fact, with what it stood beside."""

    value: str
    source: str  # "jsonld", "microdata", "rdfa", "meta", "embedded:<kind>", "dom", ...
    path: str  # a JSON path or a CSS-like selector: enough to find it again in the page
    context: str = ""  # the text around it, at most MAX_CONTEXT characters
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Candidate:
        return cls(
            value=str(data.get("value", "")),
            source=str(data.get("source", "")),
            path=str(data.get("path", "")),
            context=str(data.get("context", ""))[:MAX_CONTEXT],
            confidence=_unit(data.get("confidence", 0.0)),
        )


@dataclass(slots=True)
class FactEvidence:
    """The confidence in [0, 1] of the value chosen for one field, and why."""

    confidence: float
    source: str
    path: str = ""
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "path": self.path,
            "candidates": [c.to_dict() for c in self.candidates],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FactEvidence:
        raw = data.get("candidates")
        return cls(
            confidence=_unit(data.get("confidence", 0.0)),
            source=str(data.get("source", "")),
            path=str(data.get("path", "")),
            candidates=[Candidate.from_dict(c) for c in raw if isinstance(c, dict)] if isinstance(raw, list) else [],
        )


Evidence = dict[str, FactEvidence]


def evidence_to_dict(evidence: Evidence, *, candidates_for: Iterable[str] | None = None) -> dict[str, Any]:
    """The evidence as JSON; with ``candidates_for``, only those facts keep their candidates.

    A job record stores the candidates of the facts someone may look at (those hidden or in
    review) and only the confidence and source of the rest: every later write of the job
    costs write units for the item's whole size, and candidates with their context are most
    of it.
    """
    keep = None if candidates_for is None else set(candidates_for)
    out = {}
    for name, fact in evidence.items():
        data = fact.to_dict()
        if keep is not None and name not in keep:
            data["candidates"] = []
        out[name] = data
    return out


def evidence_from_dict(data: Any) -> Evidence:
    if not isinstance(data, dict):
        return {}
    return {str(k): FactEvidence.from_dict(v) for k, v in data.items() if isinstance(v, dict)}


def _unit(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return min(1.0, max(0.0, number)) if number == number else 0.0
