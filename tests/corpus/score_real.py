"""Score the extractor on the real-page development set.

    .venv/bin/python -m tests.corpus.score_real [--pages GLOB] [--json] [-v]

Prints precision, recall and F1 per field (rules in ``real_pages.py``), the pages where the
extractor raised NoProductError, and, when the extractor exposes evidence, the calibration
table (``real_calibration.py``). ``--pages`` filters by key (``us-2017/*``, ``*/amazon*``);
``-v`` lists every mismatch. Exits 2 when the pages folder is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from services.common.extraction import NoProductError, extract_product
from tests.corpus.real_calibration import Calibration
from tests.corpus.real_pages import (
    FIELDS,
    FieldScore,
    LabelledPage,
    PageResult,
    given,
    load_pages,
    matches_label,
    real_pages_dir,
    score_page,
)

__all__ = ["RealReport", "evaluate_real", "main"]


@dataclass
class RealReport:
    scores: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    pages: list[PageResult] = field(default_factory=list)
    calibration: Calibration = field(default_factory=Calibration)
    extractor: str = "extract_product"

    @property
    def no_product(self) -> list[tuple[str, str, bool]]:
        """(page, reason, whether the label also has no price) for each NoProductError."""
        labels = {p.key: p for p in self._labelled}
        return [(r.key, r.error, labels[r.key].label.get("price") is None) for r in self.pages if r.error]

    _labelled: list[LabelledPage] = field(default_factory=list, repr=False)

    def mismatches(self) -> list[str]:
        lines = []
        for result in self.pages:
            for o in result.outcomes:
                if not o.right:
                    lines.append(f"{result.key}: {o.field} expected {o.want!r}, got {o.got!r}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": len(self.pages),
            "extractor": self.extractor,
            "fields": {name: score.to_dict() for name, score in self.scores.items()},
            "no_product": [{"page": k, "reason": r, "label_has_no_price": n} for k, r, n in self.no_product],
            "calibration": self.calibration.to_dict(),
            "mismatches": self.mismatches(),
        }

    def lines(self, verbose: bool = False) -> list[str]:
        out = [
            f"real pages: {len(self.pages)} ({self.extractor}); uncertain label fields are skipped",
            f"{'field':<13} {'prec':>6} {'recall':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4} {'skip':>4}",
        ]
        for name, s in self.scores.items():
            out.append(
                f"{name:<13} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
                f" {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.skipped:>4}"
            )
        out.append(f"NoProductError on {len(self.no_product)} page(s):")
        for key, reason, no_price in self.no_product:
            out.append(f"  {key}: {'label has no price either' if no_price else 'label HAS a price'}: {reason}")
        out.extend(self.calibration.lines())
        if verbose:
            out.append("mismatches:")
            out.extend(f"  {line}" for line in self.mismatches())
        return out


Extract = Callable[[bytes, str], tuple[dict[str, Any], Any]]


def _extractor() -> tuple[str, Extract]:
    """The evidence-returning extractor when it exists, else ``extract_product`` alone."""
    try:
        from services.common.extraction import extract_with_evidence  # type: ignore[attr-defined]
    except ImportError:
        return "extract_product", lambda html, url: (extract_product(html, url).to_dict(), None)

    def run(html: bytes, url: str) -> tuple[dict[str, Any], Any]:
        result = extract_with_evidence(html, url, content_language=None)
        return result.product.to_dict(), result.evidence

    return "extract_with_evidence", run


def evaluate_real(pattern: str | None = None) -> RealReport:
    """Run the extractor over every labelled page (matching ``pattern``) and score it."""
    name, extract = _extractor()
    pages = load_pages(pattern)
    report = RealReport(extractor=name, _labelled=pages)
    report.calibration.available = name == "extract_with_evidence"
    for page in pages:
        product: dict[str, Any] | None = None
        evidence: Any = None
        error: str | None = None
        try:
            product, evidence = extract(page.path.read_bytes(), page.url)
        except NoProductError as exc:
            error = exc.reason
        report.pages.append(score_page(report.scores, page, product, error))
        if product is not None and report.calibration.available:
            _calibrate(report.calibration, page, product, evidence or {})
    return report


def _calibrate(calibration: Calibration, page: LabelledPage, product: dict[str, Any], evidence: Any) -> None:
    from services.common.fact_policy import uncertain_facts
    from services.common.product import Product

    for name in FIELDS:
        got = product.get(name)
        if name in page.uncertain or not given(got):
            continue
        right = matches_label(name, got, page.label)
        fact = evidence.get(name)
        calibration.add(name, None if fact is None else float(fact.confidence), right)
        if name == "price":
            printed = "price" not in uncertain_facts(Product.from_dict(product), evidence)
            calibration.add_price(page.key, right, printed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", help="only pages whose key matches this glob, e.g. 'us-2017/*'")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args(argv)
    if not real_pages_dir().is_dir():
        print(f"real pages not found at {real_pages_dir()} (set PRODUCTSHOT_REAL_PAGES)", file=sys.stderr)
        return 2
    report = evaluate_real(args.pages)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report.lines(args.verbose)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
