"""The debugging CLI: saved pages (plain and gzip), URLs through the fetcher, error lines."""

from __future__ import annotations

import gzip
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from services.scraper import extract

PAGE = """<html lang="en"><head><link rel="canonical" href="https://shop.example.com/p/mug">
<script type="application/ld+json">{"@type": "Product", "name": "Mug", "image": "/mug.jpg",
"offers": {"price": "12.99", "priceCurrency": "USD"}}</script></head><body><h1>Mug</h1></body></html>"""


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_plain_and_gzipped_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each saved page prints one JSON line; gzip is detected by its magic bytes, not its name."""
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "b.html").write_bytes(gzip.compress(PAGE.encode()))
    code = extract.main([str(tmp_path / "a.html"), str(tmp_path / "b.html")])
    first, second = _lines(capsys)
    assert code == 0
    assert first["price"] == second["price"] == "12.99"
    assert first["images"] == ["https://shop.example.com/mug.jpg"]  # canonical URL resolves links


def test_base_url_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--base-url, given after the sources, resolves relative links."""
    (tmp_path / "a.html").write_text(PAGE)
    extract.main([str(tmp_path / "a.html"), "--base-url", "https://other.example.org/x"])
    assert _lines(capsys)[0]["images"] == ["https://other.example.org/mug.jpg"]


def test_failures_print_error_lines_and_exit_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file and a page without a product each print an error line; the exit code is 1."""
    (tmp_path / "empty.html").write_text("<html><body><p>Hello</p></body></html>")
    code = extract.main([str(tmp_path / "missing.html"), str(tmp_path / "empty.html")])
    missing, empty = _lines(capsys)
    assert code == 1
    assert set(missing) == {"source", "error"} and "cannot read" in missing["error"]
    assert "no product" in empty["error"]


def test_urls_go_through_the_service_fetcher(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """URL sources use SafeFetcher(FetchSettings()) and resolve links against the final URL."""
    fetched: list[str] = []

    class Page:
        final_url = "https://shop.example.com/final/mug"
        text = PAGE.replace('<link rel="canonical" href="https://shop.example.com/p/mug">', "")
        headers = {"content-language": "en"}

    class FakeFetcher:
        def __init__(self, settings: object) -> None:
            self.settings = settings

        async def __aenter__(self) -> FakeFetcher:
            return self

        async def __aexit__(self, *exc: object) -> None:
            return None

        async def fetch_page(self, url: str) -> Page:
            fetched.append(url)
            return Page()

    module = types.ModuleType("services.scraper.safe_fetch")
    module.SafeFetcher = FakeFetcher  # type: ignore[attr-defined]
    module.FetchSettings = lambda: "settings"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "services.scraper.safe_fetch", module)
    code = extract.main(["https://shop.example.com/p/mug"])
    (line,) = _lines(capsys)
    assert code == 0 and fetched == ["https://shop.example.com/p/mug"]
    assert line["source"] == "https://shop.example.com/p/mug"
    assert line["images"] == ["https://shop.example.com/mug.jpg"]


def test_each_line_carries_confidence_and_the_facts_held_for_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Markup alone (no visible price to check it) prints a confidence per field and lists nothing
    printed below the threshold; --evidence adds each fact's source and candidates."""
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "dom.html").write_text(
        '<html lang="en"><body><div class="pdp"><h1>Lamp</h1>'
        '<div class="price">$10.00</div><div class="price">$12.00</div>'
        "<button>Add to cart</button></div></body></html>"
    )
    code = extract.main([str(tmp_path / "a.html"), str(tmp_path / "dom.html"), "--evidence"])
    markup, dom = _lines(capsys)
    assert code == 0
    assert set(markup["confidence"]) >= {"name", "price", "currency"}
    assert all(0.0 <= v <= 1.0 for v in markup["confidence"].values())
    assert markup["review"] == []
    assert markup["evidence"]["price"]["source"] == "jsonld"
    # Two different current amounts and no markup: the price is a guess, held for review.
    assert "price" in dom["review"]
    assert dom["confidence"]["price"] < 0.8
