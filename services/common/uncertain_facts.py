"""What the scraper does with the facts it is unsure of, under the job's ``onUncertain`` policy.

The policy itself (what counts as uncertain, what hiding removes) lives in
services/common/fact_policy.py; this module only applies it to one scraped product and
words the failure a person reads when the policy is ``fail``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.common.fact_evidence import Evidence
from services.common.fact_policy import OnUncertain, hide_facts, uncertain_facts
from services.common.product import Product

__all__ = ["FactDecision", "decide", "uncertain_reason"]

_COUNT = {2: "two", 3: "three", 4: "four", 5: "five"}
_SUBMIT_YOURSELF = "submit the product facts yourself or use onUncertain=review"


@dataclass(slots=True)
class FactDecision:
    """The product to render (None: render nothing now) and what happened to the unsure facts."""

    policy: OnUncertain
    product: Product | None
    hidden: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    failure: str | None = None  # the reason to fail the job with


def decide(product: Product, evidence: Evidence, policy: OnUncertain) -> FactDecision:
    unsure = uncertain_facts(product, evidence)
    if not unsure:
        return FactDecision(policy, product)
    if policy is OnUncertain.HIDE:
        return FactDecision(policy, hide_facts(product, unsure), hidden=unsure)
    if policy is OnUncertain.REVIEW:
        return FactDecision(policy, None, review=unsure)
    return FactDecision(policy, None, failure=uncertain_reason(unsure, evidence))


def uncertain_reason(names: list[str], evidence: Evidence) -> str:
    """e.g. "the page's price is ambiguous (two prices near the buy button: 49.99, 59.99); submit ..."."""
    parts = []
    for name in names:
        fact = evidence.get(name)
        values = list(dict.fromkeys(c.value for c in fact.candidates)) if fact else []
        if len(values) > 1:
            where = " near the buy button" if fact and fact.source == "dom" else ""
            count = _COUNT.get(len(values), str(len(values)))
            parts.append(f"the page's {name} is ambiguous ({count} {_plural(name)}{where}: {', '.join(values)})")
        elif fact is not None:
            parts.append(f"the page's {name} is uncertain (confidence {fact.confidence:.2f}, read from {fact.source})")
        else:
            parts.append(f"the page's {name} has no evidence")
    return "; ".join(parts) + f"; {_SUBMIT_YOURSELF}"


def _plural(name: str) -> str:
    return {"price": "prices", "currency": "currencies", "regularPrice": "regular prices", "offer": "offers",
            "brand": "brands", "name": "names"}.get(name, f"{name} values")
