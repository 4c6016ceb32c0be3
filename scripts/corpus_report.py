"""Precision and recall per field over the extraction corpus: ``python scripts/corpus_report.py``.

Exits non-zero unless price is right on 100% of the pages and every other field on at
least 95%. ``-v`` lists every mismatch.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.corpus.evaluate import FIELDS, evaluate, load_corpus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args()
    report = evaluate()
    print(f"corpus: {len(load_corpus())} pages")
    print(f"{'field':<14}{'precision':>10}{'recall':>9}{'right':>9}")
    for name in FIELDS:
        s = report.scores[name]
        print(f"{name:<14}{s.precision:>10.1%}{s.recall:>9.1%}{s.accuracy:>9.1%}")
    if args.verbose or not report.passed():
        for line in report.mismatches:
            print("  MISMATCH", line)
    ok = report.passed()
    print("target (price 100%, every field >= 95%):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
