"""The real-page development set: hand-made labels, the comparison rules, and the score.

The pages are real shops' HTML kept outside the repository (``../shared/corpus/real-pages``
beside the repository root, or ``PRODUCTSHOT_REAL_PAGES``); the labels live here, one JSON
file per page under ``tests/corpus/real/labels/<folder>/<shop>.json``. A label holds what a
person reading the page says about the main product; ``null`` means the page does not show
that fact, and fields listed in ``uncertain`` are left out of the score.

Counting, per field and page (a field a label marks uncertain is skipped):

- a value given that matches the label is a true positive;
- a value given that does not match, or given where the label is null, is a false positive;
- a label value the extractor did not give or got wrong is a false negative.

So precision = right values / values given, recall = right values / values the page has.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tests.corpus.evaluate import Counts

__all__ = [
    "FIELDS",
    "LABELS_DIR",
    "FieldScore",
    "LabelledPage",
    "load_pages",
    "matches_label",
    "real_pages_dir",
    "same",
    "score_page",
]

FIELDS = ("name", "price", "currency", "regularPrice", "sku", "gtin", "brand", "availability")
LABELS_DIR = Path(__file__).parent / "real" / "labels"
_REPO_ROOT = Path(__file__).resolve().parents[2]


def real_pages_dir() -> Path:
    """Where the pages are: ``PRODUCTSHOT_REAL_PAGES``, else ``../shared/corpus/real-pages``."""
    override = os.environ.get("PRODUCTSHOT_REAL_PAGES")
    return Path(override) if override else _REPO_ROOT.parent / "shared" / "corpus" / "real-pages"


@dataclass(frozen=True)
class LabelledPage:
    key: str  # "<folder>/<shop>", e.g. "us-2017/adidas"
    path: Path  # the saved HTML
    label: dict[str, Any]

    @property
    def url(self) -> str:
        return str(self.label["url"])

    @property
    def uncertain(self) -> frozenset[str]:
        return frozenset(self.label.get("uncertain") or ())


def page_path(pages_dir: Path, folder: str, shop: str) -> Path:
    """``us-2017`` keeps one folder per shop (``source.html``); other folders one file per shop."""
    nested = pages_dir / folder / shop / "source.html"
    return nested if nested.exists() else pages_dir / folder / f"{shop}.html"


def load_pages(pattern: str | None = None, pages_dir: Path | None = None) -> list[LabelledPage]:
    """Every labelled page (optionally those whose key matches a glob), in key order."""
    pages_dir = pages_dir or real_pages_dir()
    pages = []
    for label_path in sorted(LABELS_DIR.glob("*/*.json")):
        folder, shop = label_path.parent.name, label_path.stem
        key = f"{folder}/{shop}"
        if pattern and not fnmatch.fnmatch(key, pattern):
            continue
        label = json.loads(label_path.read_text(encoding="utf-8"))
        pages.append(LabelledPage(key, page_path(pages_dir, folder, shop), label))
    return pages


# --- comparison rules -------------------------------------------------------------------

_MARKS = re.compile(r"[®™©℠]")
_NON_WORD = re.compile(r"[^\w]+")


def _without_marks(text: str) -> str:
    # Before NFKC too: it turns "™" into the letters "TM".
    return _MARKS.sub(" ", unicodedata.normalize("NFKC", _MARKS.sub(" ", text)))


def _tokens(text: str) -> set[str]:
    text = _without_marks(text).casefold()
    return {token for token in _NON_WORD.split(text.replace("_", " ")) if token}


def same_name(got: str, want: str, brand: str | None = None) -> bool:
    """Token-set equality after NFKC, case folding, and dropping punctuation and ®/™.

    The label's brand may be present or absent on either side: shops print "Urban Decay
    All Nighter ..." in the h1 and "All Nighter ..." in their markup, and both name the
    product. Anything else (a missing or extra word, a truncated title, a "Details about"
    prefix, the shop's name appended) is a different name.
    """
    got_tokens, want_tokens = _tokens(got), _tokens(want)
    if got_tokens == want_tokens:
        return True
    brand_tokens = _tokens(brand) if brand else set()
    return bool(brand_tokens) and got_tokens - brand_tokens == want_tokens - brand_tokens


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def same_amount(got: Any, want: Any) -> bool:
    """Prices compare as decimals: "52", "52.0" and "52.00" are the same amount."""
    left, right = _decimal(got), _decimal(want)
    return left is not None and right is not None and left == right


def same_gtin(got: Any, want: Any) -> bool:
    """GTINs compare as GTIN-14: a UPC-A and its zero-padded EAN-13/GTIN-14 are one code."""
    left, right = re.sub(r"\D", "", str(got)), re.sub(r"\D", "", str(want))
    return bool(left) and left.zfill(14) == right.zfill(14)


def availability_name(value: Any) -> str:
    """The schema.org name in any casing or URL form: "http://schema.org/InStock" -> "instock"."""
    text = str(value).strip().rsplit("/", 1)[-1]
    return re.sub(r"[\s_-]+", "", text).casefold()


def _plain(value: Any) -> str:
    return " ".join(_without_marks(str(value)).split()).casefold()


def same(name: str, got: Any, want: Any, brand: str | None = None) -> bool:
    """Whether the extractor's value for field ``name`` matches the label's (both given)."""
    if name in ("price", "regularPrice"):
        return same_amount(got, want)
    if name == "name":
        return same_name(str(got), str(want), brand)
    if name == "gtin":
        return same_gtin(got, want)
    if name == "availability":
        return availability_name(got) == availability_name(want)
    return _plain(got) == _plain(want)  # currency, sku, brand: exact up to case and spacing


def given(value: Any) -> bool:
    return value not in (None, "", [])


def matches_label(name: str, got: Any, label: dict[str, Any]) -> bool:
    """``same`` against a label: its brand, and for names any of its ``nameVariants``.

    ``nameVariants`` lists other names the page itself gives the product (a shorter
    markup name beside a long h1), each as right as the label's ``name``.
    """
    want = label.get(name)
    if not given(got) or not given(want):
        return False
    brand = label.get("brand")
    if same(name, got, want, brand):
        return True
    return name == "name" and any(same_name(str(got), str(v), brand) for v in label.get("nameVariants") or ())


# --- scoring ----------------------------------------------------------------------------


@dataclass
class FieldScore(Counts):
    skipped: int = 0  # labelled uncertain

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "skipped": self.skipped,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class PageOutcome:
    """What happened to one field on one page: counted into a FieldScore, kept for ``-v``."""

    field: str
    got: Any
    want: Any
    right: bool  # the value given matches the label (False when nothing was given)


@dataclass
class PageResult:
    key: str
    outcomes: list[PageOutcome] = field(default_factory=list)
    error: str | None = None  # NoProductError's reason


def score_page(
    scores: dict[str, FieldScore], page: LabelledPage, product: dict[str, Any] | None, error: str | None = None
) -> PageResult:
    """Count one page's fields into ``scores``; ``product`` None means the extractor raised."""
    result = PageResult(page.key, error=error)
    for name in FIELDS:
        score = scores[name]
        if name in page.uncertain:
            score.skipped += 1
            continue
        want = page.label.get(name)
        got = None if product is None else product.get(name)
        has_got, has_want = given(got), given(want)
        right = matches_label(name, got, page.label)
        score.tp += right
        score.fp += has_got and not right
        score.fn += has_want and not right
        if has_got or has_want:
            result.outcomes.append(PageOutcome(name, got, want, right))
    return result
