"""What happens to a product fact the scraper is unsure of: never printed silently.

A caller picks per job what to do when a fact that would be printed is uncertain
(``onUncertain``):

- ``review``: the job stops in ``review`` until a person picks or corrects the facts;
- ``hide``: the image is rendered without the uncertain facts (and what depends on them);
- ``fail``: the job fails with a reason that names the facts.

The default is ``hide``: it never prints an uncertain fact and never leaves an unattended
integration waiting for a person; callers with someone to answer choose ``review``.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Any

from services.common.fact_evidence import Evidence
from services.common.product import Product

__all__ = [
    "OnUncertain",
    "DEFAULT_ON_UNCERTAIN",
    "PRINT_CONFIDENCE",
    "PRINTED_FACTS",
    "uncertain_facts",
    "hide_facts",
]


class OnUncertain(StrEnum):
    REVIEW = "review"
    HIDE = "hide"
    FAIL = "fail"


DEFAULT_ON_UNCERTAIN = OnUncertain.HIDE

# A fact below this confidence is not printed without the caller's policy saying so.
# Chosen on the real-page development set (docs/extraction.md, "Calibration").
PRINT_CONFIDENCE = 0.8

# The facts the overlay prints. Currency is printed with the price.
PRINTED_FACTS: tuple[str, ...] = ("name", "brand", "price", "currency", "regularPrice", "offer")

# Hiding a fact hides what is printed from it: an offer computed against a hidden price
# would still state that price's discount.
_HIDES: dict[str, tuple[str, ...]] = {
    "price": ("price", "regularPrice", "offer"),
    "currency": ("price", "currency", "regularPrice", "offer"),
    "regularPrice": ("regularPrice", "offer"),
}


def uncertain_facts(product: Product, evidence: Evidence | None, *, threshold: float = PRINT_CONFIDENCE) -> list[str]:
    """The printed facts with a value whose confidence is below ``threshold``, in print order.

    ``evidence`` None means the caller gave the facts itself: nothing is uncertain. A
    scraped fact with a value but no evidence counts as uncertain (fail closed).
    """
    if evidence is None:
        return []
    unsure = []
    for name in PRINTED_FACTS:
        if getattr(product, name) in (None, ""):
            continue
        fact = evidence.get(name)
        if fact is None or fact.confidence < threshold:
            unsure.append(name)
    return unsure


def hide_facts(product: Product, names: list[str]) -> Product:
    """A copy of ``product`` without ``names`` and whatever is printed from them."""
    hidden: set[str] = set()
    for name in names:
        hidden.update(_HIDES.get(name, (name,)))
    cleared: dict[str, Any] = {name: None for name in hidden}
    return replace(product, **cleared)
