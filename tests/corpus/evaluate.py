"""Precision, recall and accuracy per field of the extractor over the corpus.

A field is *right* on a page when the extractor's value equals the expected one (both
empty counts); pages expected to fail are right when the extractor fails with the
expected reason. Images are right when the main image matches and every expected image
is present (extra gallery images are not penalised). Precision counts the values the
extractor gave; recall counts the values the page has.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.common.extraction import NoProductError, extract_product

__all__ = ["FIELDS", "FieldScore", "Report", "evaluate", "load_corpus", "PAGES_DIR", "HELDOUT_DIR"]

PAGES_DIR = Path(__file__).parent / "pages"
#: Pages written apart from the rules, in the markup of common shop platforms: the estimate of
#: how the extractor does on shops it has never seen (``pages/`` was written alongside the rules).
HELDOUT_DIR = Path(__file__).parent / "heldout"
FIELDS = (
    "name",
    "price",
    "currency",
    "regularPrice",
    "offer",
    "availability",
    "brand",
    "sku",
    "gtin",
    "description",
    "images",
    "language",
)


@dataclass
class Counts:
    """True and false positives and false negatives of one field, and what follows from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class FieldScore(Counts):
    right: int = 0
    pages: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.pages if self.pages else 1.0


@dataclass
class Report:
    scores: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    mismatches: list[str] = field(default_factory=list)

    def passed(self, price_target: float = 1.0, field_target: float = 0.95) -> bool:
        if self.scores["price"].accuracy < price_target:
            return False
        return all(score.accuracy >= field_target for score in self.scores.values())


def load_corpus(pages_dir: Path = PAGES_DIR) -> list[tuple[Path, dict[str, Any]]]:
    corpus = []
    for expected_path in sorted(pages_dir.glob("*.expected.json")):
        stem = expected_path.name.removesuffix(".expected.json")
        page = next(p for p in (pages_dir / f"{stem}.html", pages_dir / f"{stem}.html.gz") if p.exists())
        corpus.append((page, json.loads(expected_path.read_text(encoding="utf-8"))))
    return corpus


def read_page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _same(name: str, actual: Any, expected: Any) -> bool:
    if name == "images":
        actual, expected = actual or [], expected or []
        if not expected:
            return True  # a page without a known image: extra images are not wrong
        return bool(actual) and actual[0] == expected[0] and set(expected) <= set(actual)
    return actual == expected


def _score(
    report: Report, page: str, actual: dict[str, Any] | None, expected: dict[str, Any], error: str | None
) -> None:
    for name in FIELDS:
        score = report.scores[name]
        score.pages += 1
        if "error" in expected:
            ok = error is not None and expected["error"] in error
            got = None if actual is None else actual.get(name)
            score.right += ok
            score.fp += got not in (None, []) and name == "price"
            score.tp += ok and name == "price"
            score.fn += (not ok) and name == "price"
            if not ok and name == "price":
                report.mismatches.append(
                    f"{page}: expected error {expected['error']!r}, got {error or actual}"
                )
            continue
        want = expected.get(name)
        got = None if actual is None else actual.get(name)
        ok = _same(name, got, want)
        score.right += ok
        has_got, has_want = got not in (None, []), want not in (None, [])
        score.tp += ok and has_got and has_want
        score.fp += has_got and not ok
        score.fn += has_want and not ok
        if not ok:
            report.mismatches.append(
                f"{page}: {name} expected {want!r}, got {got!r}" + (f" ({error})" if error else "")
            )


def evaluate(pages_dir: Path = PAGES_DIR) -> Report:
    report = Report()
    for path, expected in load_corpus(pages_dir):
        actual: dict[str, Any] | None = None
        error: str | None = None
        try:
            actual = extract_product(read_page(path), expected["url"]).to_dict()
        except NoProductError as exc:
            error = exc.reason
        _score(report, path.name, actual, expected, error)
    return report
