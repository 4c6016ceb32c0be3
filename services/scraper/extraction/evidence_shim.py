"""TEMPORARY SHIM: ``extract_with_evidence`` until the extractor reports its own evidence.

The extractor is gaining a confidence, a source and candidates per fact; until that lands,
this wraps ``extract_product`` so the scraper, the API and the review step can be built on
the final interface. Every non-null field gets ``FactEvidence(confidence=1.0,
source="legacy")``, except one case the current extractor can already tell: a price read
from the visible page alone (no JSON-LD, microdata, RDFa or meta price) while the product
container shows several different current prices. That price gets confidence 0.5 and the
prices it was chosen from as candidates. Remove this module when the real one is merged.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from services.common.fact_evidence import MAX_CONTEXT, Candidate, Evidence, FactEvidence
from services.common.product import Product

from . import jsonld
from .currency import LocaleHints, normalize_currency
from .document import parse_document
from .dom import element_text, find_layout
from .dom_price import read_visible_prices
from .extractor import extract_product
from .items import MICRODATA, RDFA
from .meta import read_meta
from .price import format_amount
from .schema import product_record

__all__ = ["Extraction", "extract_with_evidence"]

_UNSURE = 0.5


@dataclass(slots=True)
class Extraction:
    product: Product
    evidence: Evidence


def extract_with_evidence(html: bytes | str, url: str, *, content_language: str | None = None) -> Extraction:
    product = extract_product(html, url, content_language=content_language)
    evidence: Evidence = {
        f.name: FactEvidence(confidence=1.0, source="legacy")
        for f in fields(Product)
        if getattr(product, f.name) not in (None, "", [])
    }
    if product.price is not None:
        unsure = _dom_price_candidates(html, url, product.currency)
        if len(unsure) > 1:
            evidence["price"] = FactEvidence(confidence=_UNSURE, source="dom", candidates=unsure)
    return Extraction(product, evidence)


def _dom_price_candidates(html: bytes | str, url: str, currency: str | None) -> list[Candidate]:
    """The distinct current prices of the product container, when no markup gives a price."""
    root = parse_document(html, url).root
    nodes = [
        *(product_record(n, "jsonld") for n in jsonld.product_nodes(jsonld.blocks(root))),
        *(product_record(n, "microdata") for n in MICRODATA.products(root)),
        *(product_record(n, "rdfa") for n in RDFA.products(root)),
    ]
    records = [*nodes, read_meta(root).record()]
    if any(o.price for r in records for o in r.offers):
        return []
    layout = find_layout(root)
    visible = read_visible_prices(layout, LocaleHints.build([], url), normalize_currency(currency))
    if visible.current is None or layout.container is None:
        return []
    seen: dict[str, Candidate] = {}
    for amount in sorted(visible.amounts - visible.regular_amounts):
        value = format_amount(amount, currency)
        seen.setdefault(value, Candidate(value=value, source="dom", path="product container",
                                         context=element_text(layout.container)[:MAX_CONTEXT], confidence=_UNSURE))
    return list(seen.values())
