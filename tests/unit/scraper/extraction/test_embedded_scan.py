"""Locating and loading the literals shops hand to their scripts, without running them."""

from __future__ import annotations

from services.common.extraction.embedded_scan import assignments, call_arguments, literal_at, load_json


def test_braces_and_quotes_inside_strings_do_not_end_the_literal() -> None:
    """The scan balances brackets outside strings only, so "}" in a name is text."""
    script = 'var x = {name: \'Box {large}\', "note": "a \\"quoted\\" ]", n: 1}; var y = 2;'
    assert literal_at(script, script.index("{")) == {"name": "Box {large}", "note": 'a "quoted" ]', "n": 1}


def test_javascript_literals_are_repaired_not_evaluated() -> None:
    """Bare keys, single quotes, trailing commas and minified booleans become JSON values."""
    assert load_json("{a: 'x', b: !0, c: !1, d: void 0, e: [1, 2,],}") == {
        "a": "x",
        "b": True,
        "c": False,
        "d": None,
        "e": [1, 2],
    }


def test_json_parse_string_form_is_read() -> None:
    """`window.__STATE__ = JSON.parse("...")`, the form bundlers emit for big states, is decoded twice."""
    script = 'window.__STATE__ = JSON.parse("{\\"product\\":{\\"name\\":\\"Lamp\\",\\"price\\":12.5}}");'
    assert list(assignments(script, ("__STATE__",))) == [("__STATE__", {"product": {"name": "Lamp", "price": 12.5}})]


def test_comparisons_and_other_names_are_not_assignments() -> None:
    """`x == {...}` and `my__STATE__ = ...` are not the global the reader asked for."""
    script = 'if (__STATE__ == {}) {}; my__STATE__ = {"a": 1}; __STATE__ = {"b": 2};'
    assert list(assignments(script, ("__STATE__",))) == [("__STATE__", {"b": 2})]


def test_unbalanced_literal_is_dropped() -> None:
    """A literal cut off by the end of the script yields nothing rather than a guess."""
    assert literal_at('x = {"a": {"b": 1}', 4) is None


def test_call_arguments_read_strings_and_objects() -> None:
    """`gtag('event', 'view_item', {...})` gives its three arguments in order."""
    script = "gtag('event', 'view_item', {currency: 'EUR', items: [{item_id: 'A1', price: 9.9}]});"
    assert list(call_arguments(script, "gtag")) == [
        ["event", "view_item", {"currency": "EUR", "items": [{"item_id": "A1", "price": 9.9}]}]
    ]


def test_literals_without_the_required_word_are_not_loaded() -> None:
    """Page events pushed to a data layer are skipped before any repair work."""
    script = "dataLayer.push({event: 'scroll', depth: 50}); dataLayer.push({ecommerce: {detail: {}}});"
    assert list(call_arguments(script, "dataLayer.push", require="ecommerce")) == [
        [None],
        [{"ecommerce": {"detail": {}}}],
    ]
