"""Other facts a person reads in the product container: promotion badge, stock, gallery."""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from .document import Document
from .dom import Layout, attr_text, element_text
from .phrases import PERCENT_RE, PROMO_TEXT_RE
from .price import ascii_digits

__all__ = ["offer_text", "visible_availability", "gallery_images"]

_BADGES = etree.XPath(".//*[@class or @id] | .//text()[string-length(normalize-space(.)) > 1]/..")
_BADGE_ATTR_RE = re.compile(
    r"discount|saving|save|sale|badge|promo|offer|deal|percent|reduction|rabatt|sconto|descuento|remise"
    r"|sticker|ribbon",
    re.I,
)
# A bare percentage is only an offer next to a discount: "98% recommend" is not one.
_PERCENT_RE = re.compile(r"\d\s*%")
_BADGE_TEXT_RE = re.compile(
    r"^\W*[-−–]\s*\d|\b(save|spare|sparen|économisez|ahorra|ahorras|risparmi|risparmia|economize"
    r"|oszczędzasz|spara|off)\b"
    r"|sie sparen|скидка|экономия|выгода|割引|お得|节省|立省|省|وفر|خصم|बचत|छूट",
    re.I,
)
_TAX_RE = re.compile(r"mwst|\bvat\b|tax|\biva\b|\btva\b|\bust\.|ндс|税|ضريبة|\bgst\b|moms", re.I)
_STOCK_ATTR_RE = re.compile(r"stock|availab|inventory|lager|dispon|status", re.I)
_OUT_RE = re.compile(
    r"out of stock|sold out|currently unavailable|no longer available|nicht (mehr )?(auf lager|verfügbar"
    r"|lieferbar)"
    r"|ausverkauft|épuisé|rupture de stock|indisponible|agotado|sin stock|no disponible|esaurito"
    r"|non disponibile|esgotado|indisponível|brak w magazynie|niedostępny|wyprzedany|slutsåld"
    r"|tillfälligt slut"
    r"|ej i lager|нет в наличии|распродано|в наличии нет"
    r"|在庫切れ|売り切れ|品切れ|缺货|售罄|无货|غير متوفر|نفدت"
    r"|स्टॉक में नहीं|स्टॉक समाप्त"
    r"|uitverkocht|niet (op voorraad|leverbaar|beschikbaar)|stokta yok|tükendi|품절|재고 ?없음|일시품절"
    r"|udsolgt|utsolgt|ikke på lager|loppu varastosta|vyprodáno|není skladem|hết hàng|สินค้าหมด",
    re.I,
)
_IN_RE = re.compile(
    r"in stock|available|auf lager|sofort lieferbar|lieferbar|verfügbar|en stock|disponible|en existencia"
    r"|disponibile|em estoque|disponível|w magazynie|dostępny|i lager|в наличии|在庫あり|有货|现货|متوفر"
    r"|स्टॉक में"
    r"|op voorraad|leverbaar|stokta|재고 ?있음|구매 ?가능|på lager|varastossa|skladem|còn hàng|มีสินค้า",
    re.I,
)
_IMAGES = etree.XPath(".//img")
_IMAGE_BAD_RE = re.compile(
    r"thumb|icon|logo|badge|rating|star|payment|flag|sprite|avatar|placeholder|loader|swatch", re.I
)
_IMAGE_GOOD_RE = re.compile(r"main|primary|product|gallery|zoom|hero|featured|photo|media|image", re.I)
_SRC_ATTRS = (
    "data-old-hires",
    "data-hires",
    "data-full",
    "data-zoom-src",
    "data-zoom-image",
    "data-large_image",
    "data-large",
    "data-zoom",
    "data-src",
    "data-original",
    "src",
)


def _unwrap(text: str) -> str:
    """ "(25% gespart)" -> "25% gespart"; "You save £66.00 (31%)" keeps its closing bracket."""
    text = text.strip()
    while len(text) > 2 and text[0] in "([" and text[-1] in ")]":
        text = text[1:-1].strip()
    return text


def _innermost(found: list[etree._Element]) -> list[etree._Element]:
    """Drop matches that merely wrap another match (a price box around its "-20%" badge)."""
    inside = {anc for el in found for anc in el.iterancestors()}
    return [el for el in found if el not in inside]


def _agrees(text: str, discount: Decimal | None) -> bool:
    """A percentage in the badge is the page's discount: "save 10%" on a tiered offer is another deal."""
    shown = [int(m.group(1)) for m in PERCENT_RE.finditer(ascii_digits(text))]
    return discount is None or not shown or any(abs(discount - pct) < 1 for pct in shown)


def offer_text(layout: Layout, discounted: bool, discount: Decimal | None = None) -> str | None:
    """The shop's own promotion badge next to the price ("-20%", "Save £15", "25% OFF").

    Elements named like a badge may say it in many ways; any other element must say it
    plainly ("-28%", "17% off", "Save US $15.00") and only on a page showing a discount,
    since generated class names ("UkUFwK") say nothing. ``discount`` is the percentage off
    the page's old price, when known.
    """
    if layout.container is None:
        return None
    found: list[etree._Element] = []
    for el in _BADGES(layout.container):
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "option"):
            continue
        text = element_text(el)
        if not 1 < len(text) <= 40 or not any(ch.isdigit() for ch in text):
            continue
        if _BADGE_ATTR_RE.search(attr_text(el)):
            ok = _BADGE_TEXT_RE.search(text) or (discounted and _PERCENT_RE.search(text))
        else:
            ok = discounted and PROMO_TEXT_RE.search(ascii_digits(text))
        if ok and not _TAX_RE.search(text) and _agrees(text, discount) and not layout.excluded(el):
            found.append(el)
    first = next(iter(_innermost(found)), None)
    return _unwrap(element_text(first)) if first is not None else None


def visible_availability(layout: Layout) -> str | None:
    if layout.container is None:
        return None
    button = layout.buy_button
    if button is not None:
        label = element_text(button) + " " + (button.get("value") or "")
        if _OUT_RE.search(label):
            return "OutOfStock"
    for el in _BADGES(layout.container):
        if _STOCK_ATTR_RE.search(attr_text(el)) and not layout.excluded(el):
            text = element_text(el)
            if len(text) > 80:
                continue
            if _OUT_RE.search(text):
                return "OutOfStock"
            if _IN_RE.search(text):
                return "InStock"
    if button is not None and button.get("disabled") is None:
        return "InStock"  # an active buy button is the shop saying it sells the item now
    return None


def _best_src(img: etree._Element) -> str | None:
    srcset = img.get("data-srcset") or img.get("srcset")
    if srcset:
        best, width = None, -1.0
        for part in srcset.split(","):
            bits = part.strip().split()
            if not bits:
                continue
            size = bits[1] if len(bits) > 1 else "1x"
            try:
                value = float(size[:-1])
            except ValueError:
                value = 0.0
            if value > width:
                best, width = bits[0], value
        if best:
            return best
    return next(
        (img.get(a) for a in _SRC_ATTRS if img.get(a) and not img.get(a, "").startswith("data:")), None
    )


def gallery_images(layout: Layout, doc: Document) -> list[str]:
    """Product photos in the container, the ones named like a main image first."""
    if layout.container is None:
        return []
    good: list[str] = []
    other: list[str] = []
    region = layout.container
    # Galleries usually sit beside the title/buy-box column, in the same product block.
    parent = region.getparent()
    if not _IMAGES(region) and parent is not None and parent.tag not in ("body", "html", "main"):
        region = parent
    for img in _IMAGES(region):
        names = " ".join((attr_text(img), attr_text(img.getparent()) if img.getparent() is not None else ""))
        if _IMAGE_BAD_RE.search(names) or img.get("width") in ("1", "0") or layout.excluded(img):
            continue
        url = doc.absolute(_best_src(img))
        if not url or url.lower().split("?")[0].endswith((".svg", ".gif")):
            continue
        (good if _IMAGE_GOOD_RE.search(names) else other).append(url)
    return good + other
