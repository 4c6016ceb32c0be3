"""The sample shop's catalog: N products drawn deterministically from a seed.

A few products are deliberately unscrapable, for the failure paths: ``BOT_WALL`` answers
403 with a bot-protection challenge (``cf-mitigated``), ``SCRIPT_PRICE`` draws its price with a
script only (no markup price).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Product", "build_catalog", "BOT_WALL", "SCRIPT_PRICE", "IMAGES", "CURRENCY"]

CURRENCY = "EUR"
IMAGES = ("product-main.jpg", "product-dripper.jpg", "related-cups.jpg")
_ADJECTIVES = ("Stoneware", "Walnut", "Linen", "Copper", "Glazed", "Oak", "Enamel", "Wool", "Brass", "Ceramic")
_NOUNS = ("Mug", "Kettle", "Dripper", "Bowl", "Lamp", "Vase", "Tray", "Carafe", "Blanket", "Planter")
_BRANDS = ("Kiln & Co", "Northfield", "Atelier Sol", "Hearth")
#: Indexes (0-based) of the products a scrape must fail on, when the catalog is that large.
BOT_WALL = frozenset({7})
SCRIPT_PRICE = frozenset({13})


@dataclass(frozen=True, slots=True)
class Product:
    index: int
    handle: str
    name: str
    brand: str
    price: Decimal
    sale_price: Decimal | None
    image: str

    @property
    def charged(self) -> Decimal:
        return self.sale_price if self.sale_price is not None else self.price


def build_catalog(count: int, seed: int = 1) -> list[Product]:
    rng = random.Random(seed)
    products: list[Product] = []
    for index in range(count):
        name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} No. {index + 1}"
        price = Decimal(rng.randrange(500, 20_000)) / 100
        sale = (price * Decimal("0.8")).quantize(Decimal("0.01")) if index % 10 == 3 else None
        products.append(
            Product(
                index=index,
                handle=f"{name.lower().replace(' ', '-').replace('.', '')}",
                name=name,
                brand=rng.choice(_BRANDS),
                price=price,
                sale_price=sale,
                image=IMAGES[index % len(IMAGES)],
            )
        )
    return products
