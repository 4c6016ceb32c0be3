"""How sure we are of the price, its currency and the old price, and the candidates weighed.

The price is the fact that must not be wrong, so its confidence comes from what the
decision in ``pricing.py`` rested on:

- markup and the price shown next to the buy button agree: the strongest case;
- several independent markup sources (JSON-LD, microdata, meta, embedded state) agree;
- markup alone (no visible price to check it against) is trusted as its source is;
- markup and the visible price disagree, whichever wins: low;
- a price read from the page alone: lower still, and lower again when the buy box shows
  several different current amounts (equally plausible candidates);
- one end of a range ("from 10 to 40") is not the item's price: low.
"""

from __future__ import annotations

from decimal import Decimal

from services.common.fact_evidence import MAX_CONTEXT, Candidate, FactEvidence

from .currency import LocaleHints, currency_token, is_ambiguous_token, normalize_currency, shown_means
from .dom import element_text
from .dom_price import VisiblePrice, VisiblePrices
from .facts import agree, trust
from .price import format_amount
from .pricing import PriceDecision
from .provenance import around, css_path, join_path
from .record import OfferRecord, ProductRecord

__all__ = ["price_facts", "DOM_SOLE_PRICE"]

#: A page without markup whose buy box shows exactly one current amount, with a currency.
DOM_SOLE_PRICE = 0.85


def _markup_candidate(record: ProductRecord, offer: OfferRecord, currency: str | None) -> Candidate:
    value = format_amount(offer.amount, currency) if offer.amount is not None else (offer.price or "")
    context = f"{record.name or ''}: {offer.price} {offer.currency or ''}".strip()
    if offer.is_range:
        context += " (lowest of a range)"
    return Candidate(
        value=value,
        source=record.source,
        path=join_path(record.path, offer.path),
        context=context[:MAX_CONTEXT],
        confidence=round(trust(record.source), 3),
    )


def _visible_candidate(price: VisiblePrice, currency: str | None, confidence: float) -> Candidate:
    return Candidate(
        value=format_amount(price.amount, price.currency or currency),
        source="dom",
        path=css_path(price.element),
        context=around(price.element),
        confidence=round(confidence, 3),
    )


def _markup_price_confidence(decision: PriceDecision, visible: VisiblePrices) -> float:
    amount = decision.amount
    agreeing = {s.split(":")[0] for s, o in decision.picks.items() if o.amount == amount}
    dissenting = {s.split(":")[0] for s, o in decision.picks.items() if o.amount != amount} - agreeing
    base = max((trust(s) for s, o in decision.picks.items() if o.amount == amount), default=trust("meta"))
    confidence = agree(base, len(agreeing) - 1, len(dissenting))
    current = {p.amount for p in visible.found if not p.regular}
    if decision.rule == "agree":
        confidence = agree(confidence, 2, 0)  # the page shows what the markup says, by the buy button
    elif amount in visible.amounts:
        confidence = agree(confidence, 1, 0)  # shown in the buy box, not the nearest amount
    elif current:
        confidence = min(confidence, 0.6)  # the page shows another price: markup may be stale
    offer = decision.offer
    if offer is not None and offer.is_range:
        confidence = min(confidence, 0.4)
    return confidence


def _dom_price_confidence(decision: PriceDecision, visible: VisiblePrices) -> float:
    current = {p.amount for p in visible.found if not p.regular}
    if decision.rule == "stale":
        # Markup named the struck amount; the page's current price is the one next to it.
        return agree(trust("dom"), 1, 0)
    confidence = trust("dom")
    shown = visible.current
    if decision.rule == "dom" and len(current) == 1 and shown is not None and shown.currency is not None:
        # No markup at all, and the buy box shows one current amount with its currency: nothing
        # competes with it (right on every such real page, docs/extraction.md "Calibration").
        return DOM_SOLE_PRICE
    if decision.rule == "unseen":
        confidence = min(confidence, 0.55)  # markup said something the page never shows
    if len(current) > 1:
        confidence -= 0.1 * min(3, len(current) - 1)
    if shown is not None and shown.currency is None:
        confidence -= 0.1
    return confidence


def _currency_confidence(decision: PriceDecision, visible: VisiblePrices, hints: LocaleHints) -> tuple[float, str]:
    offer = decision.offer
    stated = normalize_currency(offer.currency) if offer is not None else None
    shown = visible.current
    token = _shown_token(shown)
    if stated and stated == decision.currency and decision.source != "dom":
        confidence = 0.95
        if token is not None and (shown_means(token, stated) or (shown is not None and shown.currency == stated)):
            confidence = 0.98
        elif shown is not None and shown.currency and token is not None:
            confidence = 0.5  # the page writes another currency than the markup states
        return confidence, "markup"
    if token is None:
        return (0.5 if decision.currency else 0.0), "dom"
    if is_ambiguous_token(token):
        # "$", "kr", "¥": right when the page says where it sells, a guess otherwise.
        return (0.85 if hints.region or hints.language else 0.6), "dom"
    return 0.92, "dom"


def _shown_token(shown: VisiblePrice | None) -> str | None:
    """The symbol beside the visible price, in its element or the one around it."""
    if shown is None:
        return None
    node = shown.element
    for _ in range(2):
        if node is None:
            break
        token = currency_token(element_text(node)[:80])
        if token is not None:
            return token
        node = node.getparent()
    return None


def price_facts(
    decision: PriceDecision, records: list[ProductRecord], visible: VisiblePrices, hints: LocaleHints
) -> dict[str, FactEvidence]:
    """Evidence for price, currency and regularPrice (the ones the decision found)."""
    currency = decision.currency
    candidates = [
        _markup_candidate(r, o, currency) for r in records for o in r.offers if o.amount is not None and o.amount > 0
    ][:12]
    for price in visible.found[:12]:
        candidates.append(_visible_candidate(price, currency, 0.0 if price.regular else trust("dom")))
    facts: dict[str, FactEvidence] = {}
    if decision.amount is None:
        return facts
    if decision.source == "dom":
        confidence = _dom_price_confidence(decision, visible)
        path = css_path(visible.current.element) if visible.current is not None else ""
        source = "dom"
    else:
        confidence = _markup_price_confidence(decision, visible)
        offer = decision.offer
        record = next((r for r in records if r.source == decision.source), None)
        path = join_path(record.path if record else "", offer.path if offer else "")
        source = decision.source or "markup"
    facts["price"] = FactEvidence(round(max(0.0, min(1.0, confidence)), 3), source, path, candidates)
    if currency:
        cur_conf, cur_source = _currency_confidence(decision, visible, hints)
        facts["currency"] = FactEvidence(round(cur_conf, 3), cur_source, path, _currency_candidates(decision, visible))
    if decision.regular is not None:
        facts["regularPrice"] = _regular_fact(decision, visible, candidates)
    return facts


def _currency_candidates(decision: PriceDecision, visible: VisiblePrices) -> list[Candidate]:
    found: list[Candidate] = []
    for source, offer in decision.picks.items():
        if offer.currency:
            found.append(Candidate(str(offer.currency), source, offer.path, "", round(trust(source), 3)))
    shown = visible.current
    if shown is not None and shown.currency:
        found.append(Candidate(shown.currency, "dom", css_path(shown.element), around(shown.element), 0.85))
    return found


def _regular_fact(decision: PriceDecision, visible: VisiblePrices, candidates: list[Candidate]) -> FactEvidence:
    regular: Decimal | None = decision.regular
    struck = regular in visible.regular_amounts
    where = next((p for p in visible.found if p.amount == regular and p.regular), None)
    path = css_path(where.element) if where is not None else ""
    if decision.regular_source == "markup":
        confidence = 0.95 if struck else 0.8
        source = "dom" if decision.rule == "stale" else (decision.source or "markup")
    elif decision.regular_source == "inferred":
        confidence, source = 0.6, "dom"
    else:
        confidence, source = 0.8, "dom"
    old = [c for c in candidates if c.source == "dom" and c.confidence == 0.0]
    return FactEvidence(round(confidence, 3), source, path, old or candidates[:4])
