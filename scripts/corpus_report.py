"""Precision and recall per field over the extraction corpora: ``python scripts/corpus_report.py``.

Reports the main corpus (``tests/corpus/pages``, written alongside the rules) and the held-out
set (``tests/corpus/heldout``, written apart from them). Exits non-zero unless, on each, price
is right on 100% of the pages and every other field on at least 95%. ``-v`` lists every
mismatch; ``--set main|heldout`` reports one set only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.corpus.evaluate import FIELDS, HELDOUT_DIR, PAGES_DIR, evaluate, load_corpus  # noqa: E402

SETS = {"main": PAGES_DIR, "heldout": HELDOUT_DIR}


def report_set(name: str, pages_dir: Path, verbose: bool) -> bool:
    report = evaluate(pages_dir)
    print(
        f"{name} corpus: {len(load_corpus(pages_dir))} pages ({pages_dir.relative_to(pages_dir.parents[2])})"
    )
    print(f"{'field':<14}{'precision':>10}{'recall':>9}{'right':>9}")
    for field in FIELDS:
        s = report.scores[field]
        print(f"{field:<14}{s.precision:>10.1%}{s.recall:>9.1%}{s.accuracy:>9.1%}")
    if verbose or not report.passed():
        for line in report.mismatches:
            print("  MISMATCH", line)
    ok = report.passed()
    print("target (price 100%, every field >= 95%):", "met" if ok else "NOT met")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all", help="which corpus to report")
    args = parser.parse_args()
    names = list(SETS) if args.set == "all" else [args.set]
    results = []
    for index, name in enumerate(names):
        if index:
            print()
        results.append(report_set(name, SETS[name], args.verbose))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
