"""The product facts the scraper extracts and the renderer lays out.

This is the one shape that crosses the scraper -> renderer hop (in the job record and
in the ProductScraped event). Field names are the public JSON names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["Product"]


@dataclass(slots=True)
class Product:
    name: str | None = None
    price: str | None = None  # decimal string, e.g. "1234.50"
    currency: str | None = None  # ISO 4217
    regularPrice: str | None = None  # struck-through / list price when discounted
    offer: str | None = None  # what to print: "-20%", "Save £15", shop text
    availability: str | None = None  # "InStock" / "OutOfStock" / None
    brand: str | None = None
    sku: str | None = None
    gtin: str | None = None
    description: str | None = None
    images: list[str] = field(default_factory=list)
    language: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Product:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        images = kwargs.get("images")
        kwargs["images"] = [str(i) for i in images] if isinstance(images, list) else []
        return cls(**kwargs)

    @property
    def main_image(self) -> str | None:
        return self.images[0] if self.images else None
