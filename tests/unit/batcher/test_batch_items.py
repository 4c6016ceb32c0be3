"""Turning a batch request's items into rows: defaults, duplicates, keys and counts."""

from __future__ import annotations

from services.common.batch import Batch, empty_counts, item_key, normalise_product_url, plan_items


def test_the_same_url_twice_becomes_one_job_with_the_later_row_a_duplicate() -> None:
    """Scheme/host case and the fragment do not make a different page; the later row shares the first's job."""
    items = plan_items("b1", [{"productUrl": "https://Shop.example/p/1"},
                              {"productUrl": "https://shop.example/p/2"},
                              {"productUrl": "HTTPS://SHOP.EXAMPLE/p/1#reviews"}], {})
    assert [i.row for i in items] == [1, 2, 3]
    assert items[2].duplicateOf == 1
    assert items[2].jobId == items[0].jobId
    assert items[1].jobId != items[0].jobId
    assert items[0].duplicateOf is None and items[1].duplicateOf is None


def test_paths_that_differ_in_case_stay_different_pages() -> None:
    """Shops' paths are case-sensitive, so only scheme and host are lower-cased."""
    assert normalise_product_url("https://a.example/P/1") != normalise_product_url("https://a.example/p/1")
    assert normalise_product_url("HTTPS://A.example/p/1?x=1#f") == "https://a.example/p/1?x=1"


def test_defaults_fill_what_an_item_leaves_out_and_the_item_wins() -> None:
    """An item's own formats beat the batch defaults; a missing field takes the default."""
    items = plan_items("b1", [{"productUrl": "https://a.example/1", "formats": ["story"]},
                              {"productUrl": "https://a.example/2"}], {"formats": ["square"], "style": "studio"})
    assert items[0].request["formats"] == ["story"]
    assert items[1].request["formats"] == ["square"]
    assert items[0].request["style"] == "studio"


def test_product_facts_items_are_never_duplicates() -> None:
    """Two product-facts rows are two jobs even if they name the same page."""
    product = {"name": "Kettle", "price": "19.99", "currency": "EUR", "url": "https://a.example/1"}
    items = plan_items("b1", [{"product": product}, {"product": product}], {})
    assert items[0].jobId != items[1].jobId
    assert items[1].duplicateOf is None


def test_item_keys_sort_by_row_and_continue_numbering_across_pages() -> None:
    """Zero-padded keys sort like rows; a later source page continues the row numbers."""
    assert sorted([item_key(10), item_key(9), item_key(100)]) == [item_key(9), item_key(10), item_key(100)]
    later = plan_items("b1", [{"productUrl": "https://a.example/9"}], {}, first_row=51)
    assert later[0].row == 51 and later[0].key == "item#00000051"


def test_progress_is_finished_items_over_total() -> None:
    """done counts completed, failed and cancelled items; progress is done/total."""
    counts = empty_counts() | {"completed": 6, "failed": 2, "cancelled": 1, "queued": 1}
    batch = Batch("b1", "t1", "running", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
                  "2026-01-31T00:00:00Z", total=10, counts=counts)
    assert batch.done == 9
    assert batch.progress == 0.9
