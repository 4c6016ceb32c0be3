"""Calibration on the real-page set: is a fact the extractor is sure of actually right?

Every fact the extractor gave on a page (a field the label does not mark uncertain) is put
in a confidence bucket with whether it was right. "Wrongly printed prices" are wrong prices
that the default print policy (``fact_policy.uncertain_facts`` at its default threshold)
would still print: the worst outcome the policy exists to prevent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["BUCKETS", "Calibration", "bucket_of"]

#: Lower bounds of the confidence buckets: [0, 0.5), [0.5, 0.8), [0.8, 0.9), [0.9, 1].
BUCKETS: tuple[float, ...] = (0.0, 0.5, 0.8, 0.9)
NO_EVIDENCE = "none"  # a value given with no evidence for it (fails closed: never printed)


def bucket_of(confidence: float | None) -> str:
    if confidence is None:
        return NO_EVIDENCE
    lower = max(b for b in BUCKETS if confidence >= b) if confidence >= 0 else BUCKETS[0]
    index = BUCKETS.index(lower)
    upper = BUCKETS[index + 1] if index + 1 < len(BUCKETS) else 1.0
    return f"[{lower:.1f},{upper:.1f}{']' if upper == 1.0 else ')'}"


def bucket_names() -> list[str]:
    return [bucket_of(b) for b in BUCKETS] + [NO_EVIDENCE]


@dataclass
class Tally:
    count: int = 0
    right: int = 0

    def add(self, right: bool) -> None:
        self.count += 1
        self.right += right

    @property
    def share(self) -> float | None:
        return self.right / self.count if self.count else None

    def to_dict(self) -> dict[str, Any]:
        share = self.share
        return {"count": self.count, "right": self.right, "share": None if share is None else round(share, 3)}


@dataclass
class Calibration:
    """Facts given, bucketed by confidence, overall and per field."""

    available: bool = False  # the extractor exposed evidence
    buckets: dict[str, Tally] = field(default_factory=dict)
    per_field: dict[str, dict[str, Tally]] = field(default_factory=dict)
    prices_given: int = 0
    prices_wrong: int = 0
    wrong_prices_printed: list[str] = field(default_factory=list)  # page keys
    prices_held_back: int = 0  # prices the default policy would not print

    def add(self, field_name: str, confidence: float | None, right: bool) -> None:
        name = bucket_of(confidence)
        self.buckets.setdefault(name, Tally()).add(right)
        self.per_field.setdefault(field_name, {}).setdefault(name, Tally()).add(right)

    def add_price(self, key: str, right: bool, printed: bool) -> None:
        """One extracted price: whether it was right and whether the default policy prints it."""
        self.prices_given += 1
        self.prices_wrong += not right
        self.prices_held_back += not printed
        if printed and not right:
            self.wrong_prices_printed.append(key)

    def sure(self, threshold: float = 0.9) -> Tally:
        """Facts given with confidence >= ``threshold``: how many were right."""
        tally = Tally()
        for name, bucket in self.buckets.items():
            if name != NO_EVIDENCE and _lower(name) >= threshold:
                tally.count += bucket.count
                tally.right += bucket.right
        return tally

    def to_dict(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "buckets": {name: self.buckets.get(name, Tally()).to_dict() for name in bucket_names()},
            "per_field": {
                f: {name: t.to_dict() for name, t in sorted(b.items())} for f, b in sorted(self.per_field.items())
            },
            "sure_0_9": self.sure().to_dict(),
            "prices_given": self.prices_given,
            "prices_wrong": self.prices_wrong,
            "prices_held_back": self.prices_held_back,
            "wrong_prices_printed": self.wrong_prices_printed,
        }

    def lines(self) -> list[str]:
        if not self.available:
            return ["calibration: the extractor exposes no evidence (extract_with_evidence not importable)"]
        out = ["calibration (facts given, by confidence): bucket count right share"]
        for name in bucket_names():
            tally = self.buckets.get(name, Tally())
            out.append(f"  {name:<10} {tally.count:>5} {tally.right:>5} {_pct(tally.share)}")
        out.append("per field: " + "  ".join(bucket_names()))
        for field_name, buckets in sorted(self.per_field.items()):
            cells = [_cell(buckets.get(name)) for name in bucket_names()]
            out.append(f"  {field_name:<13} " + "  ".join(cells))
        sure = self.sure()
        out.append(f"facts given with confidence >= 0.9: {sure.right}/{sure.count} right ({_pct(sure.share)})")
        out.append(
            f"prices: {self.prices_given} given, {self.prices_wrong} wrong, {self.prices_held_back} held back by"
            f" the default policy; wrong prices it would print: {len(self.wrong_prices_printed)}"
            + (f" ({', '.join(self.wrong_prices_printed)})" if self.wrong_prices_printed else "")
        )
        return out


def _lower(bucket: str) -> float:
    return float(bucket[1:].split(",", 1)[0])


def _pct(share: float | None) -> str:
    return "   -  " if share is None else f"{share * 100:5.1f}%"


def _cell(tally: Tally | None) -> str:
    return "-" if tally is None or not tally.count else f"{tally.right}/{tally.count}"
