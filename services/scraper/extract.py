"""Debug an extraction: ``python -m services.scraper.extract SOURCE... [--base-url URL] [--evidence]``.

A SOURCE is a saved page (plain or gzipped HTML) or an http(s) URL. URLs go through the
same fetcher, with the same settings, as the service, so what you see here is what the
scraper sees. One JSON object per source per line: the product's fields, ``confidence``
(field -> number in [0, 1]) and ``review`` (the printed facts the default policy would not
print, below the print threshold); ``--evidence`` adds each fact's source, path and the
candidates weighed. A failed source prints ``{"source": ..., "error": ...}`` and makes the
exit code non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
from pathlib import Path
from typing import Any

from services.common.errors import ProductshotError
from services.common.extraction import Extraction, extract_with_evidence
from services.common.fact_evidence import evidence_to_dict
from services.common.fact_policy import PRINT_CONFIDENCE, uncertain_facts

__all__ = ["main", "read_saved_page"]

_GZIP_MAGIC = b"\x1f\x8b"


def read_saved_page(path: Path) -> bytes:
    """The bytes of a saved page, gunzipped when it is gzip (by suffix or magic bytes)."""
    data = path.read_bytes()
    if data.startswith(_GZIP_MAGIC) or path.suffix == ".gz":
        data = gzip.decompress(data)
    return data


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _result(source: str, extraction: Extraction, with_evidence: bool) -> dict[str, Any]:
    evidence = extraction.evidence
    result: dict[str, Any] = {"source": source, **extraction.product.to_dict()}
    result["confidence"] = {name: round(fact.confidence, 3) for name, fact in evidence.items()}
    result["review"] = uncertain_facts(extraction.product, evidence)
    if with_evidence:
        result["evidence"] = evidence_to_dict(evidence)
    return result


async def _extract_urls(urls: list[str], with_evidence: bool) -> dict[str, dict[str, Any]]:
    # Imported here so saved pages can be debugged without the fetcher's dependencies.
    try:
        from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher
    except ImportError as exc:
        return {url: {"source": url, "error": f"the fetcher is not available: {exc}"} for url in urls}

    results: dict[str, dict[str, Any]] = {}
    async with SafeFetcher(FetchSettings()) as fetcher:
        for url in urls:
            try:
                page = await fetcher.fetch_page(url)
                language = page.headers.get("content-language") if page.headers else None
                extraction = await asyncio.to_thread(
                    extract_with_evidence, page.text, page.final_url, content_language=language
                )
                results[url] = _result(url, extraction, with_evidence)
            except ProductshotError as exc:
                results[url] = {"source": url, "error": exc.reason}
            except Exception as exc:  # a debugging tool reports every failure on its line
                results[url] = {"source": url, "error": f"{type(exc).__name__}: {exc}"}
    return results


def _extract_file(source: str, base_url: str | None, with_evidence: bool) -> dict[str, Any]:
    path = Path(source)
    try:
        html = read_saved_page(path)
        # Without --base-url the page's own canonical URL resolves its links (see document.py).
        return _result(source, extract_with_evidence(html, base_url or ""), with_evidence)
    except ProductshotError as exc:
        return {"source": source, "error": exc.reason}
    except (OSError, gzip.BadGzipFile, EOFError) as exc:
        return {"source": source, "error": f"cannot read {source}: {exc}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.scraper.extract",
        description="Extract the product from saved pages or URLs, one JSON object per line.",
        epilog=(
            "Each line holds the product's fields, 'confidence' (field -> number in [0, 1]) and 'review':"
            f" the printed facts below the print threshold ({PRINT_CONFIDENCE}) that the default policy"
            " would not print. Exit code 1 when a source yields no product."
        ),
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="saved page (.html, .html.gz) or URL")
    parser.add_argument("--base-url", help="URL that relative links in saved pages resolve against")
    parser.add_argument(
        "--evidence", action="store_true", help="add each fact's source, path and the candidates weighed"
    )
    args = parser.parse_intermixed_args(argv)

    urls = [s for s in args.sources if _is_url(s)]
    fetched = asyncio.run(_extract_urls(urls, args.evidence)) if urls else {}
    failed = False
    for source in args.sources:
        result = fetched[source] if _is_url(source) else _extract_file(source, args.base_url, args.evidence)
        failed = failed or "error" in result
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
