"""Batch CSV: reading uploads with row/column errors, writing results, and the round trip."""

from __future__ import annotations

import pytest

from services.batcher.sources.spec import SourceItem
from services.common.batch_csv import MAX_ROWS, RESULT_COLUMNS, BatchCsvError, read_items, write_rows


def test_columns_are_case_insensitive_in_any_order_and_unknown_ones_are_ignored() -> None:
    """URL rows and facts rows are told apart by the name column; formats split on ; or space."""
    text = (
        "Formats,PRODUCTURL,Note,name,price,Currency,imageurl\r\n"
        "square;story,https://shop.example/p/1,hi,,,,\r\n"
        "square wide,,,Kettle,19.99,eur,https://shop.example/k.jpg\r\n"
    )
    assert read_items(text) == [
        SourceItem(productUrl="https://shop.example/p/1", options={"formats": ["square", "story"]}),
        SourceItem(
            product={"name": "Kettle", "price": "19.99", "currency": "EUR", "imageUrl": "https://shop.example/k.jpg"},
            options={"formats": ["square", "wide"]},
        ),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("productUrl\n\nnot-a-url\n", "row 2, productUrl: must be an http"),
        ("name,price\nKettle,19.99\n", "row 1, currency: a price needs its currency"),
        ("name,price,currency\nKettle,cheap,EUR\n", "row 1, price: 'cheap' is not a number"),
        ("name,price,currency\nKettle,-3,EUR\n", "row 1, price: '-3' must be a number above zero"),
        ("name,currency\nKettle,euros\n", "row 1, currency: 'euros' is not a three-letter code"),
        ("productUrl,formats\n,square\n", "row 1, productUrl: a row needs a productUrl"),
        ("sku,title\nA1,Kettle\n", "the CSV: the first row must be a header"),
    ],
)
def test_errors_name_the_row_and_column_in_words(text: str, message: str) -> None:
    """Each invalid input is refused with where and why, as a permanent error."""
    with pytest.raises(BatchCsvError) as caught:
        read_items(text)
    assert caught.value.reason.startswith(message) and caught.value.permanent


def test_the_row_and_size_limits_are_enforced() -> None:
    """10,001 rows and more than 5 MB are both refused."""
    rows = "".join(f"https://shop.example/p/{n}\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(BatchCsvError, match="more than 10,000 rows"):
        read_items("productUrl\n" + rows)
    with pytest.raises(BatchCsvError, match="larger than 5 MB"):
        read_items("productUrl\n" + "https://shop.example/" + "x" * 6_000_000 + "\n")


def test_results_cells_that_look_like_formulas_are_defused_but_numbers_are_not() -> None:
    """ "=cmd" and "@x" get a leading quote; "-5" stays a number."""
    lines = list(write_rows([{"row": 1, "error": "=HYPERLINK(1)", "product": {"offer": "@x", "price": "-5"}}]))
    assert lines[0] == ",".join(RESULT_COLUMNS) + "\r\n"
    assert "'=HYPERLINK(1)" in lines[1] and "'@x" in lines[1] and ",-5," in lines[1]


def test_results_round_trip_into_facts_items() -> None:
    """Result rows → CSV → read_items gives back each row's facts (offer "-20%" intact) and URL rows."""
    rows = [
        {
            "row": 1,
            "productUrl": "https://shop.example/p/1",
            "jobId": "j1",
            "status": "failed",
            "errorCode": "PRICE_UNCERTAIN",
            "error": "no price",
            "product": {
                "name": "Kettle, large",
                "price": "19.99",
                "currency": "EUR",
                "regularPrice": "24.99",
                "offer": "-20%",
                "brand": "Acme",
                "imageUrl": "https://shop.example/k.jpg",
            },
            "images": [{"format": "square", "key": "jobs/j1/square.jpg"}],
        },
        {"row": 2, "productUrl": "https://shop.example/p/2", "jobId": "j2", "status": "failed", "product": None},
    ]
    items = read_items("".join(write_rows(rows)))
    assert items == [
        SourceItem(product=rows[0]["product"]),  # type: ignore[arg-type]
        SourceItem(productUrl="https://shop.example/p/2"),
    ]


def test_a_results_csv_sent_back_runs_only_the_rows_that_did_not_complete() -> None:
    """The whole results file comes back after a person filled in the failed row's facts:
    the completed row (it has its images) is skipped, the corrected row runs as facts; a
    file whose every row completed is refused in words."""
    rows = [
        {"row": 1, "productUrl": "https://shop.example/p/1", "jobId": "j1", "status": "completed",
         "product": {"name": "Kettle", "price": "19.99", "currency": "EUR"},
         "images": [{"format": "square", "key": "jobs/j1/1/square.jpg"}]},
        {"row": 2, "productUrl": "https://shop.example/p/2", "jobId": "j2", "status": "failed",
         "errorCode": "bot_wall", "error": "refused", "product": {"name": "Lamp", "price": "5", "currency": "GBP"}},
    ]
    items = read_items("".join(write_rows(rows)))
    assert items == [SourceItem(product={"name": "Lamp", "price": "5", "currency": "GBP"})]
    with pytest.raises(BatchCsvError, match="all 1 rows of this results CSV completed already"):
        read_items("".join(write_rows(rows[:1])))
