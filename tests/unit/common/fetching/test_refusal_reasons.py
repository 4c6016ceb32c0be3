"""Pages we cannot scrape fail with a reason that says so: bot walls, plain 403s, shops that keep
answering 429, and prices drawn by scripts."""

from __future__ import annotations

import pytest

from services.common.errors import RetriesExhaustedError
from services.common.extraction import extract_product
from services.common.extraction.errors import NoPriceError
from services.common.failure_codes import FailureCode
from services.common.fetching.fetch_errors import BotWallError, HttpStatusError, RateLimitedError
from services.common.fetching.response_checks import error_for_status
from services.common.job_failures import public_failure


@pytest.mark.parametrize(("status", "headers", "service"), [
    (403, {"cf-mitigated": "challenge"}, "Cloudflare"),
    (503, {"cf-mitigated": "challenge"}, "Cloudflare"),
    (403, {"x-datadome": "protected"}, "DataDome"),
    (403, {"Server": "AkamaiGHost"}, "Akamai"),
    (202, {"x-amzn-waf-action": "challenge"}, "AWS WAF"),
])
def test_a_bot_protection_answer_is_a_bot_wall_naming_the_service(
    status: int, headers: dict[str, str], service: str
) -> None:
    """A challenge or block from a bot-protection service fails permanently as bot_wall, naming it and the way out."""
    error = error_for_status(status, headers)
    assert isinstance(error, BotWallError) and error.permanent
    failure = public_failure(error)
    assert failure.code == FailureCode.BOT_WALL
    assert service in failure.reason and "ProductshotBot" in failure.reason
    assert "submit the product facts" in failure.reason


def test_a_plain_403_is_page_blocked_and_says_what_the_shop_owner_can_do() -> None:
    """A 403 without a bot-protection signature stays page_blocked, with advice instead of a bare status."""
    error = error_for_status(403, {"Server": "nginx"})
    assert isinstance(error, HttpStatusError) and not isinstance(error, BotWallError)
    failure = public_failure(error)
    assert failure.code == FailureCode.PAGE_BLOCKED
    assert "allow ProductshotBot" in failure.reason


def test_a_shop_that_kept_answering_429_fails_as_shop_rate_limited_after_the_queues_retries() -> None:
    """The last receive still refused with 429: the job fails as shop_rate_limited, not page_unavailable."""
    failure = public_failure(RetriesExhaustedError(5, RateLimitedError("The shop answered 429", retry_after=30)))
    assert failure.code == FailureCode.SHOP_RATE_LIMITED
    assert failure.reason.startswith("gave up after 5 attempts")


def test_a_price_drawn_by_scripts_fails_as_no_price_saying_so_and_what_to_do() -> None:
    """A product page whose price element is empty in the HTML (filled in by JavaScript) fails as no_price and
    says the price is drawn by scripts we do not run, and how to get the job through anyway."""
    page = """<html><head><title>Desk lamp</title><meta property="og:type" content="product">
    <meta property="og:title" content="Desk lamp"></head><body><h1>Desk lamp</h1>
    <span class="price" id="price"></span><button>Add to cart</button>
    <script>document.getElementById('price').textContent = '$49.00';</script></body></html>"""
    with pytest.raises(NoPriceError) as raised:
        extract_product(page, "https://shop.example/p/lamp")
    failure = public_failure(raised.value)
    assert failure.code == FailureCode.NO_PRICE
    assert "JavaScript" in failure.reason and "submit" in failure.reason
