"""The corpus target from issue 3, enforced in CI: price right on every page, others on >= 95%."""

from __future__ import annotations

from tests.corpus.evaluate import FIELDS, evaluate, load_corpus


def test_corpus_is_large_and_varied() -> None:
    """At least 40 pages, with pages expected to fail and gzipped pages among them."""
    corpus = load_corpus()
    assert len(corpus) >= 40
    assert sum("error" in expected for _, expected in corpus) >= 3
    assert sum(path.suffix == ".gz" for path, _ in corpus) >= 2
    assert len({expected.get("currency") for _, expected in corpus}) >= 12


def test_corpus_accuracy_targets() -> None:
    """Price is right on 100% of the corpus and every other field on at least 95%."""
    report = evaluate()
    summary = {name: round(report.scores[name].accuracy, 3) for name in FIELDS}
    assert report.passed(), f"{summary}\n" + "\n".join(report.mismatches)
