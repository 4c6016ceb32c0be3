"""Write the corpus pages and their expected outputs: ``python -m tests.corpus.build_pages``.

The pages are generated from the specs so the shop chrome stays consistent; the
generated files are committed, and the tests read only the files.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from . import pages_asia, pages_europe, pages_platforms, pages_world
from .spec import Page

PAGES_DIR = Path(__file__).parent / "pages"
FIELDS = (
    "name",
    "price",
    "currency",
    "regularPrice",
    "offer",
    "availability",
    "brand",
    "sku",
    "gtin",
    "description",
    "images",
    "language",
)


def all_pages() -> list[Page]:
    return [*pages_europe.PAGES, *pages_world.PAGES, *pages_asia.PAGES, *pages_platforms.PAGES]


def expected_output(page: Page) -> dict[str, object]:
    if "error" in page.expected:
        return {"url": page.url, "error": page.expected["error"]}
    out: dict[str, object] = {"url": page.url}
    for key in FIELDS:
        out[key] = page.expected.get(key, [] if key == "images" else None)
    out["language"] = page.expected.get("language", page.locale)
    return out


def main() -> None:
    from .chrome import wrap_page

    PAGES_DIR.mkdir(exist_ok=True)
    for old in PAGES_DIR.iterdir():
        old.unlink()
    for page in all_pages():
        title = page.title or f"{page.expected.get('name') or page.name} – {page.url.split('/')[2]}"
        html = wrap_page(page.locale, page.head, page.product, skeleton=page.skeleton, title=title)
        data = html.encode(page.encoding)
        if page.gzip:
            (PAGES_DIR / f"{page.name}.html.gz").write_bytes(gzip.compress(data, mtime=0))
        else:
            (PAGES_DIR / f"{page.name}.html").write_bytes(data)
        expected = json.dumps(expected_output(page), ensure_ascii=False, indent=2) + "\n"
        (PAGES_DIR / f"{page.name}.expected.json").write_text(expected, encoding="utf-8")
    print(f"wrote {len(all_pages())} pages to {PAGES_DIR}")


if __name__ == "__main__":
    main()
