"""What shops write around an amount, in the languages of the corpus and beyond.

Kept apart from the DOM walking so the word lists can grow without touching the rules.
"""

from __future__ import annotations

import re

__all__ = ["REGULAR_TEXT_RE", "LEAD_NOT_PRICE_RE", "TRAIL_NOT_PRICE_RE"]

# A label that makes the amount the old price: "UVP 129,00 €", "List Price: $39.99".
REGULAR_TEXT_RE = re.compile(
    r"\b(was|rrp|uvp|statt|msrp|list price|originally|au lieu de|avant|antes|invece di|prima|было|tidigare"
    r"|ord\.? ?pris|przed)\b|通常価格|参考価格|定价|原价|السعر الأصلي",
    re.I,
)
_SHIPPING = (
    r"deliver|\bship|versand|livraison|envío|envio|spedizione|frete|wysyłka|frakt|доставк"
    r"|送料|运费|الشحن|शिपिंग"
)
# Read on the label before the amount and the amount itself: "from $9", "Save $15", "$5 off".
LEAD_NOT_PRICE_RE = re.compile(
    r"\b(from|ab|dès|à partir de|desde|a partir de|da|od|från|starting at|starts at)\s*[:]?\s*\D{0,4}\d"
    r"|\bот\s*\d|\b\d{1,2}\s*x\s*(de\s+)?\D{0,4}\d|payments? of"
    r"|\b(over|above|orders? of|spend)\s*\D{0,4}\d"
    r"|\b(save|spare|sparen|économisez|ahorra|risparmi|economize|oszczędzasz|spara)\b|sie sparen|you save"
    r"|\boff\b|rabatt|remise|descuento|sconto|скидк|割引|优惠券|coupon|gutschein|code\b|" + _SHIPPING,
    re.I,
)
# Read on the amount and what follows it: "/ month", "/ kg", "shipping", "¥980から".
TRAIL_NOT_PRICE_RE = re.compile(
    r"/\s*(mo|month|monat|mois|mes|mese)\b|per month|mensualit|\brate\b|^\S*\s*(から|起)"
    r"|(/|\bper\b|\bpro\b|\bje\b|\bpar\b|за)\s*(\d+\s*)?(kg|g|l|ml|cl|m|m²|m2|100\s*g|100\s*ml|stück|unit"
    r"|item)\b|" + _SHIPPING,
    re.I,
)
