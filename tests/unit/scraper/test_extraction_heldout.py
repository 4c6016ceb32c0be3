"""The held-out corpus: pages written apart from the rules, held to the main corpus's target.

``tests/corpus/heldout`` imitates the markup of common shop platforms and marketplaces
(Shopify, WooCommerce, Magento 2, BigCommerce, Salesforce Commerce Cloud, PrestaShop,
Shopware 6, marketplace buy boxes) in 20 locales. It guards the general rules against
being tuned to the main corpus alone.
"""

from __future__ import annotations

from tests.corpus.evaluate import FIELDS, HELDOUT_DIR, evaluate, load_corpus


def test_heldout_corpus_is_large_and_varied() -> None:
    corpus = load_corpus(HELDOUT_DIR)
    assert len(corpus) >= 25
    assert sum("error" in expected for _, expected in corpus) >= 2
    assert len({expected.get("currency") for _, expected in corpus}) >= 15


def test_heldout_accuracy_targets() -> None:
    """Price is right on 100% of the held-out pages and every other field on at least 95%."""
    report = evaluate(HELDOUT_DIR)
    summary = {name: round(report.scores[name].accuracy, 3) for name in FIELDS}
    assert report.passed(), f"{summary}\n" + "\n".join(report.mismatches)
