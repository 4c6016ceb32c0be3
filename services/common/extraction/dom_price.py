"""Prices a person sees in the product container: the current price and the struck one.

Each money string in the container is a candidate; candidates inside carousels,
shipping banners, instalment offers, unit prices or "from" phrasing are dropped.
The current price is the candidate nearest to the buy box that is not struck through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from .currency import LocaleHints, currency_from_text
from .dom import Layout, attr_text, element_text
from .dom_discount import discount_pair, shown_percents
from .phrases import LEAD_NOT_PRICE_RE, REGULAR_TEXT_RE, TRAIL_NOT_PRICE_RE
from .price import ascii_digits, parse_amount

__all__ = ["VisiblePrices", "read_visible_prices"]

_SYMBOLS = "€ $ £ ¥ ￥ ₹ ₽ ₩ ₺ ₪ zł kr CHF руб 円 元 KD د.ك د.إ ر.س Kč Ft R$ EUR USD PLN".split()
_SYMBOL_TESTS = " or ".join(f"contains(., '{s}')" for s in _SYMBOLS)
# Relative, so the hot path only walks the product container.
_CANDIDATES = etree.XPath(
    ".//*[contains(translate(@class, 'PRICE', 'price'), 'price')"
    " or contains(translate(@id, 'PRICE', 'price'), 'price') or contains(@itemprop, 'price')"
    " or self::del or self::s or self::strike or self::ins]"
    # The symbol often has its own element (<span>R$</span><span>1.299</span>): the amount is a level up.
    f" | .//text()[{_SYMBOL_TESTS}]/.."
    f" | .//text()[{_SYMBOL_TESTS}]/parent::*[translate(., '0123456789', '') = .]/parent::*"
)
_MAX_TEXT = 48
_NUMBER_RE = re.compile(r"\d[\d.,'’\s\u00a0\u202f]*")
# Whole name parts only: "old" must not match "price-holder", nor "was" "swatch".
_REGULAR_ATTR_RE = re.compile(
    r"(?:^|[-_\s])(old|was|regular|list|original|compare\w*|strike\w*|crossed|before|rrp|uvp|msrp|retail"
    r"|previous|initial|reference|listprice|oldprice|wasprice|regularprice|mrp)(?:$|[-_\s])",
    re.I,
)
_SALE_ATTR_RE = re.compile(
    r"sale|special|current|final|now|actual|promo|offer|deal|reduced|our-price|selling", re.I
)


@dataclass(slots=True)
class VisiblePrice:
    amount: Decimal
    currency: str | None
    regular: bool
    sale: bool
    in_container: bool
    position: int
    element: etree._Element


@dataclass(slots=True)
class VisiblePrices:
    current: VisiblePrice | None = None
    regular: VisiblePrice | None = None
    #: Every amount shown in the product container, to cross-check markup against.
    amounts: set[Decimal] = field(default_factory=set)
    regular_amounts: set[Decimal] = field(default_factory=set)
    #: Every candidate in the container, kept for the evidence a person reviews.
    found: list[VisiblePrice] = field(default_factory=list)
    #: The old price came from a printed percentage alone, not from markup or strike-through.
    regular_inferred: bool = False
    #: Reads amounts shown outside the container (not in carousels, banners...) on demand.
    scan_page: Callable[[], set[Decimal]] | None = None
    _elsewhere: set[Decimal] | None = None

    def shown_elsewhere(self, amount: Decimal) -> bool:
        """Whether the page shows ``amount`` outside the container; scanned once, only if asked."""
        if self._elsewhere is None:
            self._elsewhere = self.scan_page() if self.scan_page else set()
        return amount in self._elsewhere


_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# State modifiers describe the block, not the amount: "with-list-price", "has-discount", "is-old".
_MODIFIER_RE = re.compile(r"(?:^|\s)(?:with|has|is|show)[-_]\S*")


def _is_struck(el: etree._Element) -> bool:
    node: etree._Element | None = el
    for _ in range(3):
        if node is None:
            break
        if node.tag in ("del", "s", "strike") or _REGULAR_ATTR_RE.search(
            _MODIFIER_RE.sub(" ", attr_text(node))
        ):
            return True
        if "line-through" in (node.get("style") or "") or any("strike" in k for k in node.attrib):
            return True
        node = node.getparent()
    # A wrapper around the struck amount: <span class="pricing">[<del>¥1599.00</del>]</span>.
    inner = next(el.iterdescendants("del", "s", "strike"), None)
    return inner is not None and _digits(element_text(inner)) == _digits(element_text(el))


_CENTS_NAME_RE = re.compile(r"cent|fraction|decimal|minor|pence|kopek|dec\b", re.I)
_CENTS_RE = re.compile(r"^\s*(\d{2,3})\s*$")


def price_text(el: etree._Element) -> str:
    """An amount's text with cents set apart: "$19<sup>99</sup>" reads "$19.99", not 1999.

    Cents in a superscript, or in an element named for them, follow the whole units with no
    separator in the text; the decimal point is only drawn by the layout.
    """
    if len(el) == 0:
        return element_text(el)
    parts: list[str] = []
    _walk_text(el, parts, top=True)
    return " ".join("".join(parts).split())


def _walk_text(el: etree._Element, parts: list[str], top: bool = False) -> None:
    own = el.text or ""
    cents = None if top else _CENTS_RE.match(own)
    named = el.tag == "sup" or _CENTS_NAME_RE.search(el.get("class") or "")
    if cents and named and len(el) == 0 and "".join(parts).rstrip()[-1:].isdigit():
        parts.append("." + cents.group(1))
    else:
        parts.append(own)
    for child in el:
        if isinstance(child.tag, str):
            _walk_text(child, parts)
        parts.append(child.tail or "")


def _label(el: etree._Element | None, limit: int = 30) -> str:
    """Short text of a neighbour that is a label ("From", "/ kg"), not another price."""
    if el is None or not isinstance(el.tag, str) or _HIDDEN_STYLE_RE.search(el.get("style") or ""):
        return ""  # a hidden "Starting at" is the template's spare label, not what the page says
    text = element_text(el)
    return text if len(text) <= limit and not any(c.isdigit() for c in text) else ""


def _context(el: etree._Element, text: str) -> tuple[str, str]:
    """(label before + amount, amount + what follows): "from", "/ kg" and the like.

    The label may sit a few levels up: <div>List Price: <span><span>$39.99</span></span></div>.
    """
    before = ""
    node = el
    for _ in range(3):
        prev = node.getprevious()
        if prev is not None:
            before = _label(prev) + " " + (prev.tail or "")
            break
        parent = node.getparent()
        if parent is None:
            break
        if (parent.text or "").strip():
            before = parent.text or ""
            break
        node = parent
    after = el.tail or ""
    unit = _label(el.getnext(), 20)
    if unit.startswith(("/", "per ", "pro ", "je ", "par ", "за ")):
        after += " " + unit
    return f"{before[-40:]} {text}", f"{text} {after[:40]}"


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _is_fragment(el: etree._Element, text: str) -> bool:
    """True for the "99" of <span>$<span>27.</span><span class="price-fraction">99</span></span>."""
    node = el.getparent()
    for _ in range(2):
        if node is None:
            return False
        outer = element_text(node)
        # Pieces add up to one number; a box holding two prices ("CHF 1'234.50 statt 1'399.–") is no whole.
        if len(outer) <= _MAX_TEXT and _digits(outer) > _digits(text) and len(_NUMBER_RE.findall(outer)) == 1:
            return True
        node = node.getparent()
    return False


@dataclass(slots=True)
class _Candidate:
    element: etree._Element
    amount: Decimal
    currency: str | None
    context: str


def _candidates(
    scope: etree._Element, layout: Layout, hints: LocaleHints, currency_hint: str | None
) -> Iterator[_Candidate]:
    seen: set[etree._Element] = set()
    for el in _CANDIDATES(scope):
        if el in seen or not isinstance(el.tag, str) or el.tag in ("script", "style", "option"):
            continue
        seen.add(el)
        text = ascii_digits(price_text(el))
        if not text or len(text) > _MAX_TEXT or not any(c.isdigit() for c in text):
            continue
        if len(_NUMBER_RE.findall(text)) > 1:
            continue  # a box holding several prices: its children are the candidates
        lead, trail = _context(el, text)
        if LEAD_NOT_PRICE_RE.search(lead) or TRAIL_NOT_PRICE_RE.search(trail):
            continue
        currency = currency_from_text(text, hints)
        if currency is None and ("price" not in attr_text(el).lower() or _is_fragment(el, text)):
            continue
        amount = parse_amount(text, currency or currency_hint)
        if amount is None or amount == 0 or layout.excluded(el):
            continue
        yield _Candidate(el, amount, currency, lead)


def read_visible_prices(layout: Layout, hints: LocaleHints, currency_hint: str | None) -> VisiblePrices:
    container = layout.container
    if container is None:
        return VisiblePrices()

    def scan_page() -> set[Decimal]:
        root = container.getroottree().getroot()
        return {
            c.amount
            for c in _candidates(root, layout, hints, currency_hint)
            if not layout.contains(c.element)
        }

    result = VisiblePrices(scan_page=scan_page)
    found: list[VisiblePrice] = []
    for cand in _candidates(container, layout, hints, currency_hint):
        el = cand.element
        regular = _is_struck(el) or bool(REGULAR_TEXT_RE.search(cand.context))
        sale = bool(_SALE_ATTR_RE.search(attr_text(el))) or el.tag == "ins"
        found.append(VisiblePrice(cand.amount, cand.currency, regular, sale, True, layout.position(el), el))
    if not found:
        return result
    if not any(p.regular for p in found):
        # No struck or labelled old price: the printed percentage may still say which one is old.
        pair = discount_pair([(p.amount, p.element) for p in found], shown_percents(layout))
        for p in found:
            p.regular = pair is not None and p.amount == pair[1]
        result.regular_inferred = pair is not None
    result.found = found
    result.amounts = {p.amount for p in found}
    result.regular_amounts = {p.amount for p in found if p.regular}
    anchor = layout.buy_button if layout.buy_button is not None else layout.title
    anchor_pos = layout.position(anchor) if anchor is not None else 0
    current = [p for p in found if not p.regular]
    if current:
        # Nearest to the buy box wins; a "sale"-named element breaks ties.
        result.current = min(current, key=lambda p: (abs(p.position - anchor_pos), not p.sale))
        if result.current.currency is None:
            result.current.currency = next((p.currency for p in found if p.currency), None)
        struck = [p for p in found if p.regular and p.amount > result.current.amount]
        if struck:
            here = result.current.position
            result.regular = min(struck, key=lambda p: abs(p.position - here))
    return result
