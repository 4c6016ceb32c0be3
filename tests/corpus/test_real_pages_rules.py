"""The real-page scorer's comparison and counting rules, on tiny inline cases (no pages needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.corpus.real_calibration import Calibration, bucket_of
from tests.corpus.real_pages import (
    FIELDS,
    FieldScore,
    LabelledPage,
    availability_name,
    matches_label,
    same,
    same_amount,
    same_gtin,
    same_name,
    score_page,
)


def _label(**facts: Any) -> dict[str, Any]:
    label: dict[str, Any] = {name: None for name in FIELDS}
    label.update(url="https://shop.example/p/1", **facts)
    return label


def _page(**facts: Any) -> LabelledPage:
    return LabelledPage("test/page", Path("/nonexistent.html"), _label(**facts))


def _scores() -> dict[str, FieldScore]:
    return {name: FieldScore() for name in FIELDS}


def test_prices_compare_as_decimal_amounts() -> None:
    """'52', '52.0' and '52.00' are one amount; 52.01 and unparsable text are not it."""
    assert same_amount("52", "52.00") and same_amount("52.0", "52.00")
    assert not same_amount("52.01", "52.00")
    assert not same_amount("$52", "52.00")


def test_names_match_as_token_sets_ignoring_case_punctuation_and_marks() -> None:
    """Spacing, case, punctuation and ®/™ do not matter; a missing or extra word does."""
    assert same_name("Nespresso ® by Breville VertuoLine", "nespresso by breville  vertuoline")
    assert same_name("Hairpin Stool Walnut - Room Essentials™", "Hairpin Stool Walnut Room Essentials")
    assert not same_name("Details about Massage Chair", "Massage Chair")
    assert not same_name("Pain Relief Pillow...", "Pain Relief Pillow Color Opt")


def test_a_name_may_carry_or_omit_the_labelled_brand() -> None:
    """'Urban Decay All Nighter' and 'All Nighter' both name the product when the brand is Urban Decay."""
    assert same_name("Urban Decay All Nighter Spray", "All Nighter Spray", brand="Urban Decay")
    assert same_name("Positron Quickdraw Set", "Black Diamond Positron Quickdraw Set", brand="Black Diamond")
    assert not same_name("Urban Decay All Nighter Spray", "All Nighter Spray")


def test_a_label_name_variant_is_as_right_as_the_name() -> None:
    """A shorter name the page itself gives (``nameVariants``) is accepted; others are not."""
    label = _label(
        name="Lexmark MS317dn Printer - 1200 DPI, 35 PPM - 35SC060", nameVariants=["Lexmark MS317dn - 35SC060"]
    )
    assert matches_label("name", "Lexmark MS317dn - 35SC060", label)
    assert not matches_label("name", "Lexmark", label)


def test_gtins_compare_as_gtin_14() -> None:
    """A UPC-A equals its zero-padded GTIN-13/GTIN-14 form; another number does not."""
    assert same_gtin("637509440343", "00637509440343")
    assert same_gtin("0077680119940", "077680119940")
    assert not same_gtin("637509440343", "637509440350")


def test_availability_compares_by_schema_org_name() -> None:
    """URL forms, casing and spaces are one value: http://schema.org/In Stock is InStock."""
    assert availability_name("http://schema.org/InStock") == availability_name("InStock")
    assert availability_name("https://schema.org/In Stock") == "instock"
    assert same("availability", "out_of_stock", "OutOfStock")
    assert not same("availability", "InStock", "OutOfStock")


def test_identifiers_and_brands_must_match_up_to_case_and_spacing() -> None:
    """A sku with its printed label ('Item # 101095') or a prefix ('sku:') is a different value."""
    assert same("sku", " ce5145 ", "CE5145") and same("brand", "SKECHERS", "Skechers")
    assert not same("sku", "Item # 101095", "101095")
    assert not same("sku", "sku:CAE5D4", "CAE5D4")


def test_a_value_given_where_the_label_is_null_is_a_false_positive() -> None:
    """Wrong values and values the page does not show cost precision; missing ones cost recall."""
    scores = _scores()
    page = _page(name="Poncho", price="100.00", currency="USD", sku="CE5145")
    score_page(scores, page, {"name": "poncho", "price": "100", "currency": "USD", "brand": "adidas"})
    assert (scores["price"].tp, scores["price"].fp, scores["price"].fn) == (1, 0, 0)
    assert (scores["brand"].tp, scores["brand"].fp, scores["brand"].fn) == (0, 1, 0)
    assert (scores["sku"].tp, scores["sku"].fp, scores["sku"].fn) == (0, 0, 1)
    assert scores["gtin"].tp + scores["gtin"].fp + scores["gtin"].fn == 0


def test_a_wrong_value_is_both_a_false_positive_and_a_false_negative() -> None:
    """A wrong price is a value given that is not right, and the right one is still missing."""
    scores = _scores()
    score_page(scores, _page(price="89.00", currency="USD"), {"price": "17.98", "currency": "USD"})
    assert (scores["price"].tp, scores["price"].fp, scores["price"].fn) == (0, 1, 1)
    assert scores["price"].precision == 0.0 and scores["currency"].precision == 1.0


def test_uncertain_label_fields_are_left_out_of_the_score() -> None:
    """A field the label marks uncertain counts neither way, whatever the extractor gave."""
    scores = _scores()
    page = LabelledPage("t/p", Path("/x"), {**_label(price="28.50", currency="USD"), "uncertain": ["price"]})
    result = score_page(scores, page, {"price": "25.00", "currency": "USD"})
    assert scores["price"].skipped == 1 and scores["price"].tp + scores["price"].fp + scores["price"].fn == 0
    assert [o.field for o in result.outcomes] == ["currency"]


def test_a_page_that_raised_counts_every_labelled_fact_as_missed() -> None:
    """NoProductError (product None) gives no values: each labelled fact is a false negative."""
    scores = _scores()
    result = score_page(scores, _page(name="Robe", price="59.00", currency="USD"), None, error="no price")
    assert scores["price"].fn == 1 and scores["name"].fn == 1 and scores["price"].fp == 0
    assert result.error == "no price"


def test_precision_recall_and_f1_follow_the_counts() -> None:
    """P = tp/(tp+fp), R = tp/(tp+fn), F1 their harmonic mean; empty counts are 1.0."""
    score = FieldScore(tp=8, fp=2, fn=8)
    assert (score.precision, score.recall) == (0.8, 0.5)
    assert round(score.f1, 4) == round(2 * 0.8 * 0.5 / 1.3, 4)
    assert FieldScore().precision == 1.0


def test_confidences_fall_into_half_open_buckets() -> None:
    """[0,0.5), [0.5,0.8), [0.8,0.9), [0.9,1]; a fact without evidence has its own bucket."""
    assert bucket_of(0.0) == bucket_of(0.49) == "[0.0,0.5)"
    assert bucket_of(0.5) == "[0.5,0.8)" and bucket_of(0.8) == "[0.8,0.9)"
    assert bucket_of(0.9) == bucket_of(1.0) == "[0.9,1.0]"
    assert bucket_of(None) == "none"


def test_calibration_counts_sure_facts_and_wrong_prices_the_policy_would_print() -> None:
    """'Sure' is confidence >= 0.9; a wrong price not held back by the policy is a wrongly printed price."""
    calibration = Calibration(available=True)
    calibration.add("price", 0.95, True)
    calibration.add("price", 0.92, False)
    calibration.add("name", 0.6, True)
    calibration.add_price("a", right=False, printed=True)
    calibration.add_price("b", right=False, printed=False)
    calibration.add_price("c", right=True, printed=True)
    sure = calibration.sure()
    assert (sure.count, sure.right) == (2, 1)
    assert calibration.wrong_prices_printed == ["a"]
    assert (calibration.prices_given, calibration.prices_wrong, calibration.prices_held_back) == (3, 2, 1)
    assert calibration.to_dict()["per_field"]["price"]["[0.9,1.0]"] == {"count": 2, "right": 1, "share": 0.5}
