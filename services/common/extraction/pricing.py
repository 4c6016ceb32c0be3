"""Choosing the product's price: markup and the visible page cross-checked.

Rules, in order:
1. Markup and the visible price agree: take it.
2. The markup price is shown struck through (a stale list price): the visible
   current price wins and the markup price becomes the regular price.
3. The markup price is nowhere in the product container but the container shows a
   price: what the person sees wins.
4. Otherwise markup wins, or the visible price when there is no markup at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .currency import LocaleHints, currency_from_text, normalize_currency
from .dom_price import VisiblePrices
from .price import parse_markup_amount
from .record import OfferRecord, ProductRecord

__all__ = ["PriceDecision", "decide_price", "discount_text"]


@dataclass(slots=True)
class PriceDecision:
    amount: Decimal | None = None
    currency: str | None = None
    regular: Decimal | None = None
    availability: str | None = None
    source: str | None = None
    sku: str | None = None
    #: Which rule decided, for the confidence: "agree", "stale", "unseen", "markup", "dom".
    rule: str = ""
    #: Where the regular price came from: "markup", "dom" (struck/labelled), "inferred" (a percentage).
    regular_source: str | None = None
    #: The markup offer whose price was taken or overruled, and each source's own pick.
    offer: OfferRecord | None = None
    picks: dict[str, OfferRecord] = field(default_factory=dict)
    path: str | None = None


def _resolve_amounts(offer: OfferRecord, fallback_currency: str | None, hints: LocaleHints) -> None:
    # Markup written as shown ("$39.99") names its currency itself.
    written = currency_from_text(offer.price, hints) if offer.price else None
    offer.currency = normalize_currency(offer.currency) or written or fallback_currency
    if offer.price:
        offer.amount = parse_markup_amount(offer.price, offer.currency)
    if offer.regular:
        offer.regular_amount = parse_markup_amount(offer.regular, offer.currency)


def _pick_offer(record: ProductRecord, visible: VisiblePrices, page_url: str) -> OfferRecord | None:
    """The offer the page is about: each rule narrows the choice only when it matches some."""
    candidates = [o for o in record.offers if o.amount is not None and o.amount > 0]
    shown = visible.current.amount if visible.current else None
    for rule in (
        lambda o: bool(o.url) and page_url.rstrip("/").endswith(str(o.url).rstrip("/")),
        lambda o: shown is not None and o.amount == shown,
        lambda o: bool(o.sku) and str(o.sku) in page_url,
        lambda o: o.amount in visible.amounts,
        lambda o: o.availability == "InStock",
    ):
        narrowed = [o for o in candidates if rule(o)]
        if narrowed:
            candidates = narrowed
    return candidates[0] if candidates else None


def decide_price(
    records: list[ProductRecord],
    visible: VisiblePrices,
    page_url: str,
    page_currency: str | None,
    hints: LocaleHints | None = None,
) -> PriceDecision:
    markup: OfferRecord | None = None
    markup_source = None
    decision_picks: dict[str, OfferRecord] = {}
    for record in records:
        for offer in record.offers:
            _resolve_amounts(offer, page_currency, hints or LocaleHints())
        chosen = _pick_offer(record, visible, page_url)
        if chosen is not None:
            decision_picks.setdefault(record.source, chosen)
        if chosen is not None and markup is None:
            markup, markup_source = chosen, record.source
        elif chosen is not None and markup is not None and visible.current is not None:
            # Two markup sources disagree: the one matching the page wins.
            if markup.amount != visible.current.amount and chosen.amount == visible.current.amount:
                markup, markup_source = chosen, record.source
    shown = visible.current
    if markup is None or markup.amount is None:
        if shown is None:
            return PriceDecision()
        regular = visible.regular.amount if visible.regular else None
        return PriceDecision(
            shown.amount,
            shown.currency or page_currency,
            regular,
            None,
            "dom",
            rule="dom",
            regular_source=_visible_regular_source(visible) if regular is not None else None,
        )
    decision = PriceDecision(
        markup.amount,
        markup.currency,
        markup.regular_amount,
        markup.availability,
        markup_source,
        markup.sku,
        rule="agree" if shown is not None and shown.amount == markup.amount else "markup",
        regular_source="markup" if markup.regular_amount is not None else None,
        offer=markup,
        picks=decision_picks,
        path=markup.path,
    )
    if shown is not None and shown.amount != markup.amount:
        stale = markup.amount in visible.regular_amounts and shown.amount < markup.amount
        # Markup shown outside the container still counts as shown: our container may be too tight.
        unseen = markup.amount not in visible.amounts and not visible.shown_elsewhere(markup.amount)
        if stale or unseen:
            decision.regular = markup.amount if stale else None
            decision.amount = shown.amount
            decision.currency = shown.currency or markup.currency
            decision.source = "dom"
            decision.rule = "stale" if stale else "unseen"
            decision.regular_source = "markup" if stale else None
            decision.path = None
    if decision.currency is None and shown is not None:
        decision.currency = shown.currency  # markup without priceCurrency: the symbol on the page
    if decision.regular is None and visible.regular is not None and decision.amount is not None:
        if decision.amount in visible.amounts or decision.source == "dom":
            decision.regular = visible.regular.amount
            decision.regular_source = _visible_regular_source(visible)
    if decision.regular is not None and decision.amount is not None and decision.regular <= decision.amount:
        decision.regular = None
        decision.regular_source = None
    return decision


def _visible_regular_source(visible: VisiblePrices) -> str:
    return "inferred" if visible.regular_inferred else "dom"


def discount_text(price: Decimal, regular: Decimal) -> str | None:
    """ "-20%" from the two prices, the way shops print it."""
    percent = ((regular - price) / regular * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"-{percent}%" if percent >= 1 else None
