"""The print policy for uncertain facts and the evidence's JSON round trip."""

from __future__ import annotations

from services.common.fact_evidence import Candidate, FactEvidence, evidence_from_dict, evidence_to_dict
from services.common.fact_policy import PRINT_CONFIDENCE, hide_facts, uncertain_facts
from services.common.product import Product

PRODUCT = Product(name="Kettle", brand="Acme", price="49.99", currency="EUR", regularPrice="59.99", offer="-17%",
                  sku="K-1")


def _sure(*names: str, confidence: float = 0.95) -> dict[str, FactEvidence]:
    return {n: FactEvidence(confidence=confidence, source="jsonld", path=f"$.{n}") for n in names}


def test_caller_given_facts_are_never_uncertain() -> None:
    """A product without evidence came from the caller: the policy has nothing to hold."""
    assert uncertain_facts(PRODUCT, None) == []


def test_a_scraped_printed_fact_without_evidence_counts_as_uncertain() -> None:
    """Fail closed: a value nobody vouched for is not printed silently."""
    evidence = _sure("name", "brand", "currency", "regularPrice", "offer")
    assert uncertain_facts(PRODUCT, evidence) == ["price"]


def test_facts_below_the_threshold_are_listed_in_print_order_and_unprinted_ones_ignored() -> None:
    """Only printed facts with a value matter; sku is never printed."""
    evidence = _sure("name", "brand", "price", "currency")
    evidence.update(_sure("offer", "regularPrice", "sku", confidence=PRINT_CONFIDENCE - 0.01))
    assert uncertain_facts(PRODUCT, evidence) == ["regularPrice", "offer"]
    assert uncertain_facts(Product(name="Kettle"), _sure("name")) == []


def test_hiding_the_price_hides_what_is_printed_from_it() -> None:
    """An offer or a struck price beside a hidden price would still state that price."""
    hidden = hide_facts(PRODUCT, ["price"])
    assert (hidden.price, hidden.regularPrice, hidden.offer) == (None, None, None)
    assert (hidden.name, hidden.currency, hidden.sku) == ("Kettle", "EUR", "K-1")
    assert PRODUCT.price == "49.99"  # a copy: the original keeps its facts


def test_an_uncertain_currency_hides_the_price_with_it() -> None:
    """A right number in the wrong currency is a wrong price."""
    hidden = hide_facts(PRODUCT, ["currency"])
    assert (hidden.price, hidden.currency, hidden.offer) == (None, None, None)
    assert hidden.name == "Kettle"


def test_evidence_survives_a_json_round_trip_and_clamps_bad_confidences() -> None:
    """What the job record stores reads back the same; nonsense confidences become 0..1."""
    evidence = {"price": FactEvidence(confidence=0.42, source="dom", path="div.buy-box span.price",
                                      candidates=[Candidate("49.99", "dom", "span.price", "Now 49.99 €", 0.42),
                                                  Candidate("59.99", "dom", "del", "was 59.99 €", 0.2)])}
    assert evidence_from_dict(evidence_to_dict(evidence)) == evidence
    read = evidence_from_dict({"price": {"confidence": 7, "source": "x"}, "name": {"confidence": "nan"}, "bad": 3})
    assert read["price"].confidence == 1.0
    assert read["name"].confidence == 0.0
    assert "bad" not in read


def test_only_the_named_facts_keep_their_candidates_when_stored() -> None:
    """A job stores candidates only for facts someone may look at; the rest keep confidence and source."""
    candidates = [Candidate("49.99", "dom", "span.price", "Now 49.99 €", 0.5)]
    evidence = {"price": FactEvidence(0.5, "dom", "span", candidates),
                "name": FactEvidence(0.97, "jsonld", "$.name", [Candidate("Kettle", "jsonld", "$.name", "", 0.97)])}
    stored = evidence_to_dict(evidence, candidates_for=["price"])
    assert stored["price"]["candidates"] == [candidates[0].to_dict()]
    assert stored["name"] == {"confidence": 0.97, "source": "jsonld", "path": "$.name", "candidates": []}
    assert evidence_to_dict(evidence)["name"]["candidates"] != []  # without the argument: everything
