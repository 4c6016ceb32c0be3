"""What shops write around an amount, in the languages of the corpus and beyond.

Kept apart from the DOM walking so the word lists can grow without touching the rules.
"""

from __future__ import annotations

import re

__all__ = ["REGULAR_TEXT_RE", "LEAD_NOT_PRICE_RE", "TRAIL_NOT_PRICE_RE", "PERCENT_RE", "PROMO_TEXT_RE"]

# A label that makes the amount the old price: "UVP 129,00 €", "List Price: $39.99".
REGULAR_TEXT_RE = re.compile(
    r"\b(was|rrp|uvp|statt|msrp|list price|originally|au lieu de|avant|antes|invece di|prima|было|tidigare"
    r"|ord\.? ?pris|przed|originalpreis|ursprünglich|vorher|früher|førpris|adviesprijs|prix initial"
    r"|prix de référence|precio original|prezzo originale|reduced from|marked down from)\b|\bvan\s*€"
    r"|通常価格|参考価格|希望小売価格|定価|定价|原价|السعر الأصلي",
    re.I,
)
_SHIPPING = (
    r"deliver|\bship|versand|livraison|envío|envio|spedizione|frete|wysyłka|frakt|доставк"
    r"|送料|运费|الشحن|शिपिंग"
)
# The EU's "lowest price in the 30 days before the reduction" (Omnibus directive) is shown next to
# every discount since 2022: it is neither the price nor the struck one.
_LOWEST_30_DAYS = (
    r"niedrigste[rn]?\s*(gesamt)?preis|lowest (total )?price|prix le plus bas|precio más bajo"
    r"|prezzo più basso|laagste prijs|lägsta pris|laveste pris|najniższa cena|nejnižší cena|legalacsonyabb ár"
)
# Fees added to the price (recycling, packaging, deposits) are amounts, not the item's price.
_FEES = r"gebühr|\bfee\b|beitrag|\bpfand\b|deposit|éco-?participation|écotaxe|ecotasa"
# Prices only for members or card holders ("PLUS价", "c Ozon Картой", "mit Plus") are not everyone's.
_MEMBER = r"会员价|plus价|vip价|members?\W{0,3}price|member-only|\bmit \w+ plus\b|картой|с карт"
# The same price before tax, printed beside the price a consumer pays ("（税抜 ¥27,091）").
_EXCL_TAX = (
    r"税抜|税別|不含税|excl\.?\s*(vat|tax|btw|mwst)|\bex\.? vat|zzgl\.?\s*mwst|ohne mwst|exkl\.?\s*mwst"
    r"|hors tax|\bHT\b|sin iva|senza iva|без ндс"
)
# Read on the label before the amount and the amount itself: "from $9", "Save $15", "$5 off".
LEAD_NOT_PRICE_RE = re.compile(
    r"(?<!reduced )(?<!down )\b(from|ab|dès|à partir de|desde|a partir de|da|od|från|starting at|starts at)"
    r"\s*[:]?\s*\D{0,4}\d"
    r"|\bот\s*\d|\b\d{1,2}\s*x\s*(de\s+)?\D{0,4}\d|payments? of"
    r"|\b(over|above|orders? of|spend)\s*\D{0,4}\d"
    r"|\b(save|spare|sparen|économisez|ahorra|risparmi|economize|oszczędzasz|spara)\b|sie sparen|you save"
    r"|\boff\b|rabatt|remise|descuento|sconto|скидк|割引|优惠券|coupon|gutschein|code\b|"
    + "|".join((_SHIPPING, _LOWEST_30_DAYS, _FEES, _MEMBER, _EXCL_TAX)),
    re.I,
)
# Read on the amount and what follows it: "/ month", "/ kg", "shipping", "¥980から".
TRAIL_NOT_PRICE_RE = re.compile(
    r"/\s*(mo|month|monat|mois|mes|mese)\b|per month|mensualit|\brate\b|^\S*\s*(から|起)"
    r"|(/|\bper\b|\bpro\b|\bje\b|\bpar\b|за)\s*(\d+\s*)?(kg|g|l|ml|cl|m|m²|m2|100\s*g|100\s*ml|stück|unit"
    r"|item)\b|" + "|".join((_SHIPPING, _FEES, _EXCL_TAX)),
    re.I,
)
# A discount shown as a percentage: "-28%", "17% off", "(25% gespart)", "خصم ١٩٪".
PERCENT_RE = re.compile(r"(?:^|[^\d.,])(\d{1,2})\s*[%٪]")
# Promotion text that needs no badge-like name: "-28%", "17% off", "Save US $15.00".
PROMO_TEXT_RE = re.compile(
    r"^[-−–]\s*\d{1,2}\s*%$|^\d{1,2}\s*%\s*(off|rabatt|gespart|de réduction|de descuento|di sconto|скидка)$"
    r"|^(you save|save|sie sparen|spara|sparen|économisez|ahorra|ahorras|risparmi|risparmia|oszczędzasz)"
    r"\b.*\d",
    re.I,
)
