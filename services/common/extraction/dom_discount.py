"""An old price nobody marked up: two amounts and the discount percentage the page prints.

Shops with generated class names (``<div class="yRaY8j">₹1,49,999</div>``) give no struck
tag and no "old" class to go by, but they print the discount next to both prices
("17% off"). When a higher amount, a lower one and a percentage sit in the same small
block and the percentage is the one between the two amounts, the higher one is the old
price. The block must be small: a tiered offer further away ("Buy 3 for $71.10 each and
save 10%") is no such pair.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from .dom import Layout, element_text
from .phrases import PERCENT_RE
from .price import ascii_digits

__all__ = ["shown_percents", "discount_pair"]

_PERCENT_TEXTS = etree.XPath(".//text()[contains(., '%') or contains(., '٪')]/..")
_MAX_BADGE = 30
# Levels from each element up to their shared block: price, old price and badge are siblings
# or cousins in every layout seen; a page-wide common ancestor means unrelated amounts.
_MAX_LEVELS = 3


def shown_percents(layout: Layout) -> list[tuple[int, etree._Element]]:
    """Short percentage texts in the product container ("-28%", "17% off", "خصم ١٩٪")."""
    if layout.container is None:
        return []
    found: list[tuple[int, etree._Element]] = []
    for el in _PERCENT_TEXTS(layout.container):
        text = ascii_digits(element_text(el))
        if len(text) > _MAX_BADGE or layout.excluded(el):
            continue
        found.extend((int(m.group(1)), el) for m in PERCENT_RE.finditer(text))
    return found


def _near(elements: list[etree._Element]) -> bool:
    chains = []
    for el in elements:
        chain, node = set(), el
        for _ in range(_MAX_LEVELS + 1):
            if node is None:
                break
            chain.add(node)
            node = node.getparent()
        chains.append(chain)
    return bool(set.intersection(*chains))


def discount_pair(
    amounts: list[tuple[Decimal, etree._Element]], percents: list[tuple[int, etree._Element]]
) -> tuple[Decimal, Decimal] | None:
    """(price, old price) when a printed percentage is the discount between two nearby amounts.

    Shops round the percentage either way (Rs 1,23,456 off 1,49,999 is 17.7%, printed "17%").
    """
    if not percents:
        return None
    for high, high_el in sorted(amounts, key=lambda a: a[0], reverse=True):
        for low, low_el in amounts:
            if not 0 < low < high:
                continue
            off = (high - low) / high * 100
            for percent, badge in percents:
                if abs(off - percent) < 1 and _near([high_el, low_el, badge]):
                    return low, high
    return None
