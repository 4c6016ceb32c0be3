"""Errors the extractor and the scrape decision raise; all permanent (a retry sees the same HTML).

Their reasons are written by us for the shop owner (what the page lacks, which prices
disagreed), so a failed job shows them as they are.
"""

from __future__ import annotations

from services.common.errors import PermanentError
from services.common.failure_codes import FailureCode

__all__ = ["NoProductError", "NoPriceError", "UncertainFactsError", "NO_PRICE_REASON"]

#: The phrase every "product without a price" failure carries, so people and
#: dashboards can tell a JavaScript-rendered price from a page that is not a product.
NO_PRICE_REASON = "no price in the page HTML"


class NoProductError(PermanentError):
    """The page has no product, or a product whose price is not in the HTML."""

    failure_code = FailureCode.NO_PRODUCT
    public_reason = True


class NoPriceError(NoProductError):
    """The page describes a product but its price is not in the HTML."""

    failure_code = FailureCode.NO_PRICE


class UncertainFactsError(PermanentError):
    """onUncertain=fail and some facts were uncertain: the reason names them and the way out."""

    failure_code = FailureCode.UNCERTAIN_FACTS
    public_reason = True
