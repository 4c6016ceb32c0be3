"""What to print: the job's overlay switches and text overrides, resolved against the product."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.product import Product
from services.renderer.overlay.price import format_price, offer_label, parse_amount

__all__ = ["OverlayOptions", "OverlayText", "resolve_text"]


@dataclass(frozen=True, slots=True)
class OverlayOptions:
    """Per-job switches; an override replaces the scraped text (price overrides are
    printed as given, not reformatted)."""

    show_name: bool = True
    show_price: bool = True
    show_offer: bool = True
    show_brand: bool = True
    name: str | None = None
    price: str | None = None
    offer: str | None = None
    brand: str | None = None


@dataclass(frozen=True, slots=True)
class OverlayText:
    brand: str | None
    name: str | None
    price: str | None
    regular_price: str | None  # struck through next to the price
    offer: str | None
    language: str | None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text or None


def resolve_text(product: Product, options: OverlayOptions | None = None) -> OverlayText:
    """The strings to lay out, after switches, overrides and locale formatting."""
    opts = options or OverlayOptions()
    lang = product.language
    price = regular = None
    if opts.show_price:
        if opts.price is not None:
            price = _clean(opts.price)
        else:
            price = format_price(product.price, product.currency, lang)
            sale, was = parse_amount(product.price), parse_amount(product.regularPrice)
            if sale is not None and was is not None and was > sale:
                regular = format_price(product.regularPrice, product.currency, lang)
    offer = None
    if opts.show_offer:
        offer = _clean(opts.offer) or offer_label(product.offer, product.price, product.regularPrice)
    brand = _clean(opts.brand or product.brand) if opts.show_brand else None
    name = _clean(opts.name or product.name) if opts.show_name else None
    return OverlayText(brand, name, price, regular, offer, lang)
