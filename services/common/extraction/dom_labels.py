"""Facts printed with a label: "SKU: AB-12", "Art.-Nr.: 4711", "品牌：星河", "JANコード：4548…".

The label and its value share an element ("货号：ZS-1"), or the value sits in the next
element (<dt>Brand</dt><dd>Sonivo</dd>, <td>Brand</td><td>Sonivo</td>). The product
container is read first; spec tables often sit below it (a details tab, a parameter
list), so the rest of the page, outside excluded regions, is read when the container
has no such label.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from .dom import Layout, attr_text

__all__ = ["PageLabels", "form_sku", "valid_gtin"]

_SPACE_RE = re.compile(r"\s+")
_SKU_LABELS = (
    r"\bSKU|Art(?:ikel)?\.?\s?-?\s?Nr\.?|Artikelnummer|Item\s?(?:#|No\.?|number)|Réf(?:érence)?\.?"
    r"|\bRef\.?|Código|Codice(?: articolo)?|Артикул|品番|商品番号|商品编号|型番|货号|Nr\s?kat\.?|Kod produktu"
    r"|Artikelnr\.?|Product code|Produktnummer|Art\.nr\.?"
)
# A label ends where its word does: "Ref" is no label in "Refurbished", nor "SKU" in "SKUs".
_SKU_RE = re.compile(rf"(?:{_SKU_LABELS})(?![^\W\d_])\s*[:：#]?\s*([A-Za-z0-9][\w\-./]{{2,40}})", re.I)
_SKU_START_RE = re.compile(rf"\W*(?:{_SKU_LABELS})(?![^\W\d_])", re.I)
_BRAND_LABEL = (
    r"brand|marke|hersteller|marque|marca|merk|märke|producent|бренд|品牌|ブランド|メーカー|العلامة التجارية"
)
_BRAND_RE = re.compile(rf"^\W*(?:{_BRAND_LABEL})\s*[:：]?\s*([^\W_].{{0,39}})$", re.I)
_BRAND_START_RE = re.compile(rf"\W*(?:{_BRAND_LABEL})\W*$", re.I)
_BRAND_OWN_RE = re.compile(rf"\W*(?:{_BRAND_LABEL})\s*[:：]", re.I)
# The brand line above a title: <p class="makerName">, <a class="product-info__brand">.
_BRAND_NAME_RE = re.compile(r"(?:^|[-_\s])(brand|maker|manufacturer|vendor)(?:$|[-_\s])", re.I)
_NAMED = etree.XPath(".//*[@class or @id]")
_GTIN_START_RE = re.compile(r"EAN|GTIN|UPC|JAN|ISBN|Barcode|Strichcode", re.I)
_GTIN_RE = re.compile(
    r"(?:\bEAN|\bGTIN|\bUPC|\bJAN|\bISBN|Barcode|Strichcode)\S{0,4}\s*[:：#]?\s*(\d{8,14})\b", re.I
)
_HIDDEN = etree.XPath(".//form//input[@type='hidden'][@name][@value]")
_SKU_INPUT_RE = re.compile(r"^(sku|asin|item_?sku|product_?sku|article_?(no|number)|artnr)$", re.I)
_MAX_TEXT = 80
# Any label of the three kinds, matched at the start of an element's own text: one pass over
# the page (a few ms on 400 KB) finds the hosts for all of them.
_ANY_LABEL_RE = re.compile(
    rf"\W*(?:SKU|Art|Item|R[ée]f|C[óo]d|Арт|品番|商品番号|商品编号|型番|货号|Nr|Kod|Produ|{_BRAND_LABEL}"
    r"|EAN|GTIN|UPC|JAN|ISBN|Barcode|Strichcode)",
    re.I,
)


def _text(el: etree._Element | None) -> str:
    """Text with a space between elements: "<td>Brand</td><td>Sonivo</td>" reads "Brand Sonivo"."""
    if el is None or not isinstance(el.tag, str):
        return ""
    return _SPACE_RE.sub(" ", " ".join(el.itertext())).strip()


class PageLabels:
    """Labelled facts of one page; the page is scanned once, on the first question."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._hosts: list[tuple[etree._Element, str]] | None = None

    def hosts(self) -> list[tuple[etree._Element, str]]:
        """(element, own text) of every element whose own text opens with a label, the
        container's first: a spec table below the buy box is read after the buy box."""
        if self._hosts is None:
            container = self.layout.container
            found: list[tuple[etree._Element, str]] = []
            if container is not None:
                for el in container.getroottree().getroot().iter():
                    text = el.text
                    if text and len(text) < 2 * _MAX_TEXT and isinstance(el.tag, str):
                        own = text.strip()
                        if own and _ANY_LABEL_RE.match(own) and el.tag not in ("script", "style", "option"):
                            found.append((el, own))
            found.sort(key=lambda hit: hit[0] not in self.layout.order)  # order: the container's elements
            self._hosts = found
        return self._hosts

    def _labelled(self, is_label: Callable[[str], object], value_re: re.Pattern[str]) -> str | None:
        """The value of the first label (an element whose own text is_label), read with value_re."""
        for el, own in self.hosts():
            if not is_label(own):
                continue
            parent = el.getparent()
            # Label and value together, in the label's parent, or in the element after the label.
            texts = [_text(el), _text(parent)]
            for node in (el, parent):
                following = node.getnext() if node is not None else None
                # A label over a form control names the choice, not a value ("Brand: Select an Option").
                if following is not None and following.tag not in ("select", "input", "button", "form"):
                    texts.append(own + " " + _text(following))
            for text in texts:
                match = value_re.match(text) if len(text) <= _MAX_TEXT else None
                if match and not self.layout.excluded(el):
                    return match.group(1).strip()
        return None

    def sku(self) -> str | None:
        return self._labelled(_SKU_START_RE.match, _SKU_RE)

    def brand(self) -> str | None:
        # A brand label stands alone ("Brand" in a table cell) or opens its element ("品牌：星河"):
        # "Marken" in a menu is neither.
        found = self._labelled(lambda own: _BRAND_START_RE.match(own) or _BRAND_OWN_RE.match(own), _BRAND_RE)
        return found or _named_brand(self.layout)

    def gtin(self) -> str | None:
        for el, own in self.hosts():
            if not _GTIN_START_RE.search(own):
                continue
            for match in _GTIN_RE.finditer(_text(el)[:200]):
                if valid_gtin(match.group(1)) and not self.layout.excluded(el):
                    return match.group(1)
        return None


def _named_brand(layout: Layout) -> str | None:
    if layout.container is None:
        return None
    for el in _NAMED(layout.container):
        if not _BRAND_NAME_RE.search(attr_text(el)):
            continue
        text = _text(el)
        if 1 < len(text) <= 40 and not any(c.isdigit() for c in text) and not layout.excluded(el):
            return text
    return None


def valid_gtin(digits: str) -> bool:
    """GS1 check digit: a labelled number that fails it is some other code."""
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def form_sku(layout: Layout) -> str | None:
    """The item number the buy form posts (<input type="hidden" name="ASIN" value="B0…">)."""
    if layout.container is None:
        return None
    for field in _HIDDEN(layout.container):
        if _SKU_INPUT_RE.match(field.get("name", "")) and field.get("value", "").strip():
            return field.get("value").strip()
    return None
