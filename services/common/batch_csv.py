"""Batch CSV: reading an uploaded catalog into items, writing a batch's results.

The results CSV is a valid input CSV: a row with a ``name`` is read back as a
product-facts item, so failed rows can be corrected and posted again. A results CSV is
recognised by its ``status`` column: its ``completed`` rows are skipped (their images exist
already), so the whole file can be sent back after the failed rows were corrected.

Spreadsheet formula injection (OWASP "CSV injection"): a written cell starting with
``= + - @``, tab or carriage return is prefixed with ``'``, unless it is a plain number
("-5" is a number to a spreadsheet, not a formula); reading removes that prefix again,
so an offer "-20%" survives the round trip.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from services.common.batch import SourceItem
from services.common.errors import PermanentError

__all__ = ["MAX_ROWS", "MAX_BYTES", "INPUT_COLUMNS", "RESULT_COLUMNS", "BatchCsvError", "read_items", "write_rows"]

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
FACT_COLUMNS = ("name", "price", "currency", "regularPrice", "offer", "brand", "imageUrl")
INPUT_COLUMNS = ("productUrl", *FACT_COLUMNS, "formats", "output", "style")
RESULT_COLUMNS = ("row", "productUrl", "jobId", "status", "errorCode", "error", *FACT_COLUMNS, "images")
_STATUS = "status"  # a results CSV's column: its completed rows are not run again
_CANONICAL = {name.lower(): name for name in (*INPUT_COLUMNS, _STATUS)}
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_CURRENCY = re.compile(r"[A-Z]{3}")


class BatchCsvError(PermanentError):
    """A CSV the batch cannot take; ``row`` (1 = first data row, 0 = the file) and ``column``."""

    public_reason = True

    def __init__(self, row: int, column: str | None, reason: str) -> None:
        where = f"row {row}, {column}" if column else (f"row {row}" if row else "the CSV")
        super().__init__(f"{where}: {reason}")
        self.row, self.column, self.detail = row, column, reason


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_TRIGGERS) else value


def _amount(row: int, column: str, value: str) -> str:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise BatchCsvError(row, column, f"{value!r} is not a number; write it like 19.99") from None
    if not amount.is_finite() or amount <= 0:
        raise BatchCsvError(row, column, f"{value!r} must be a number above zero")
    return value


def _facts(row: int, cells: dict[str, str]) -> dict[str, Any]:
    product = {name: cells[name] for name in FACT_COLUMNS if cells.get(name)}
    for column in ("price", "regularPrice"):
        if column in product:
            _amount(row, column, product[column])
            if "currency" not in product:
                raise BatchCsvError(row, "currency", f"a {column} needs its currency, e.g. EUR")
    if "currency" in product:
        product["currency"] = product["currency"].upper()
        if not _CURRENCY.fullmatch(product["currency"]):
            raise BatchCsvError(row, "currency", f"{cells['currency']!r} is not a three-letter code like EUR")
    image = product.get("imageUrl")
    if image and not image.lower().startswith(("http://", "https://")):
        raise BatchCsvError(row, "imageUrl", "must be an http:// or https:// address")
    return product


def _item(row: int, cells: dict[str, str]) -> SourceItem:
    options: dict[str, Any] = {}
    if cells.get("formats"):
        options["formats"] = [part for part in re.split(r"[;\s]+", cells["formats"]) if part]
    for name in ("output", "style"):
        if cells.get(name):
            options[name] = cells[name]
    if cells.get("name"):
        return SourceItem(product=_facts(row, cells), options=options)
    url = cells.get("productUrl", "")
    if not url:
        raise BatchCsvError(row, "productUrl", "a row needs a productUrl, or a name for a product without a page")
    if not url.lower().startswith(("http://", "https://")):
        raise BatchCsvError(row, "productUrl", "must be an http:// or https:// address")
    return SourceItem(productUrl=url, options=options)


def read_items(text: str) -> list[SourceItem]:
    """The items of an uploaded CSV (header row required); BatchCsvError names row and column."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise BatchCsvError(0, None, "the file is larger than 5 MB; split it into several batches")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    columns = [_CANONICAL.get(name.strip().lower()) for name in header or []]
    if "productUrl" not in columns and "name" not in columns:
        raise BatchCsvError(0, None, "the first row must be a header naming a productUrl or name column")
    items: list[SourceItem] = []
    skipped = 0
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue  # blank lines are not rows
            if len(items) >= MAX_ROWS:
                raise BatchCsvError(number, None, f"more than {MAX_ROWS:,} rows; split the file")
            cells = {column: _unescape(value.strip()) for column, value in zip(columns, record, strict=False) if column}
            if cells.get(_STATUS, "").lower() == "completed":
                skipped += 1
                continue
            items.append(_item(number, cells))
    except csv.Error as exc:
        raise BatchCsvError(reader.line_num, None, f"the CSV cannot be read ({exc})") from exc
    if not items and skipped:
        raise BatchCsvError(0, None, f"all {skipped} rows of this results CSV completed already; "
                                     "correct or add the rows to run and send it again")
    return items


def _escape(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_TRIGGERS) and not _NUMBER.fullmatch(text) else text


def _line(cells: Iterable[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_escape(cell) for cell in cells])
    return out.getvalue()


def write_rows(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The results CSV, line by line (header first), from the items/results JSON rows."""
    yield _line(RESULT_COLUMNS)
    for row in rows:
        product = row.get("product") or {}
        images = ";".join(str(image.get("key", "")) for image in row.get("images") or [])
        values = {**{k: row.get(k) for k in RESULT_COLUMNS}, **{k: product.get(k) for k in FACT_COLUMNS}}
        values["images"] = images
        yield _line(values[column] for column in RESULT_COLUMNS)
