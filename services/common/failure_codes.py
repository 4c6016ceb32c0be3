"""What a failed job tells its tenant and subscribers: a stable code and a sentence.

The codes are a closed set, so a client can branch on them and a dashboard can count them.
An error's class says which code it stands for (``ProductshotError.failure_code``) and
whether its own reason is written for the shop owner (``public_reason``); every other
error shows the code's sentence from ``SENTENCES``, and its detail stays in the logs.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["FailureCode", "SENTENCES"]


class FailureCode(StrEnum):
    """Why a job failed, as a client may branch on it."""

    INVALID_URL = "invalid_url"
    PAGE_UNREACHABLE = "page_unreachable"
    PAGE_BLOCKED = "page_blocked"
    BOT_WALL = "bot_wall"
    ROBOTS_DISALLOWED = "robots_disallowed"
    SHOP_RATE_LIMITED = "shop_rate_limited"
    SHOP_BUSY = "shop_busy"
    PAGE_UNAVAILABLE = "page_unavailable"
    NOT_A_PAGE = "not_a_page"
    IMAGE_UNUSABLE = "image_unusable"
    TOO_LARGE = "too_large"
    NO_PRODUCT = "no_product"
    NO_PRICE = "no_price"
    UNCERTAIN_FACTS = "uncertain_facts"
    REVIEW_EXPIRED = "review_expired"
    PRODUCT_GONE = "product_gone"
    IMAGE_MODEL_REFUSED = "image_model_refused"
    IMAGE_MODEL_REJECTED = "image_model_rejected"
    IMAGE_MODEL_UNAVAILABLE = "image_model_unavailable"
    IMAGE_QUALITY_FAILED = "image_quality_failed"
    QUEUE_UNAVAILABLE = "queue_unavailable"
    TIMED_OUT = "timed_out"
    INTERNAL_ERROR = "internal_error"


#: The sentence shown for each code when the error's own reason is not for outside eyes.
SENTENCES: dict[FailureCode, str] = {
    FailureCode.INVALID_URL: "The product URL is not a web address we can fetch: check the product URL.",
    # One sentence for an unknown host, a refused address and a failed connection alike,
    # so the answer never tells whether some internal host exists.
    FailureCode.PAGE_UNREACHABLE: "We could not reach the shop at this address: "
    "check that the product URL is the shop's public page.",
    FailureCode.PAGE_BLOCKED: "The shop refused to show us the page: check the product URL.",
    FailureCode.BOT_WALL: "The shop's bot protection refused our scraper: ask the shop to let ProductshotBot "
    "through, or submit the product facts with the job.",
    FailureCode.ROBOTS_DISALLOWED: "The shop's robots.txt does not allow our scraper on this page: "
    "ask the shop to allow ProductshotBot, or submit the product facts with the job.",
    FailureCode.SHOP_RATE_LIMITED: "The shop kept asking us to slow down (429 Too Many Requests): retry the job later.",
    FailureCode.SHOP_BUSY: "Too many jobs were waiting for this shop at our per-shop pace: "
    "retry the job later, or send this shop's jobs more slowly.",
    FailureCode.PAGE_UNAVAILABLE: "The shop did not answer properly, even after several tries: try again later.",
    FailureCode.NOT_A_PAGE: "The URL did not return a product page we can read: use the product page's URL.",
    FailureCode.IMAGE_UNUSABLE: "The product image could not be used: use a JPEG, PNG or WebP image URL.",
    FailureCode.TOO_LARGE: "The page or image is larger than we accept.",
    FailureCode.NO_PRODUCT: "No product was found on the page.",
    FailureCode.NO_PRICE: "The page shows a product but no price in its HTML: the shop may draw the price "
    "with a script, which we do not run. Submit the product facts (name, price) with the job instead.",
    FailureCode.UNCERTAIN_FACTS: "Some product facts were uncertain: submit them yourself or ask for a review.",
    FailureCode.REVIEW_EXPIRED: "Nobody reviewed the uncertain facts in time: retry the job or submit the facts.",
    FailureCode.PRODUCT_GONE: "The product page is gone since we read it: check the product URL, "
    "or submit the product facts yourself.",
    FailureCode.IMAGE_MODEL_REFUSED: "The image model refused the request (content policy).",
    FailureCode.IMAGE_MODEL_REJECTED: "The image model rejected the request.",
    FailureCode.IMAGE_MODEL_UNAVAILABLE: "The image model is unavailable right now: retry the job later.",
    FailureCode.IMAGE_QUALITY_FAILED: "The finished image did not pass our checks (the product or its text did not "
    "come out right): retry the job.",
    FailureCode.QUEUE_UNAVAILABLE: "the job could not be queued; please submit it again",
    FailureCode.TIMED_OUT: "The job made no progress in time: retry it.",
    FailureCode.INTERNAL_ERROR: "Something went wrong on our side: retry the job, "
    "and quote its traceId if it fails again.",
}
