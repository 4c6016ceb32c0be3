"""A scrape request's optional ``politeness`` (a batch's own pace): parsed strictly, clamped to the limits."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.common.errors import MalformedMessageError
from services.common.messages import PolitenessOverride, parse_scrape_request, scrape_request_body
from services.scraper.politeness_settings import PolitenessSettings

JOB = "6f1f4b9e-0c55-4a5e-9d8e-1b2b3c4d5e6f"


def test_the_override_travels_in_the_message_and_a_message_without_it_has_none() -> None:
    """scrape_request_body writes the camelCase object; parse_scrape_request reads it back; absent is None."""
    body = json.loads(scrape_request_body(JOB, 2, PolitenessOverride(1, 0.5)))
    assert body["politeness"] == {"maxInFlightPerHost": 1, "requestsPerSecondPerHost": 0.5}
    assert parse_scrape_request(body).politeness == PolitenessOverride(1, 0.5)
    assert parse_scrape_request(json.loads(scrape_request_body(JOB, 1))).politeness is None


@pytest.mark.parametrize("politeness", [
    {"maxInFlightPerHost": 0}, {"maxInFlightPerHost": 1.5}, {"maxInFlightPerHost": True},
    {"requestsPerSecondPerHost": 0}, {"requestsPerSecondPerHost": "2"}, {"burst": 3}, [1, 2],
])
def test_a_malformed_override_is_a_malformed_message(politeness: Any) -> None:
    """Wrong types, non-positive values and unknown keys are refused, never guessed at."""
    with pytest.raises(MalformedMessageError):
        parse_scrape_request({"schemaVersion": 1, "jobId": JOB, "attempt": 1, "politeness": politeness})


def test_an_override_may_slow_a_batch_down_freely_but_speed_it_up_only_to_the_limits() -> None:
    """Defaults 2 / 1.0 and limits 4 / 4.0: asking 10 / 9.0 gets 4 / 4.0; asking 1 / 0.2 gets exactly that;
    a robots.txt Crawl-delay of 5 s slows any of them to 0.2/s."""
    settings = PolitenessSettings()
    assert (settings.host_max_in_flight, settings.host_requests_per_second) == (2, 1.0)
    fast = settings.host_limits(PolitenessOverride(10, 9.0))
    assert (fast.max_in_flight, fast.requests_per_second) == (4, 4.0)
    slow = settings.host_limits(PolitenessOverride(1, 0.2))
    assert (slow.max_in_flight, slow.requests_per_second) == (1, 0.2)
    assert settings.host_limits(None).requests_per_second == 1.0
    assert settings.host_limits(PolitenessOverride(None, 3.0), crawl_delay=5).requests_per_second == 0.2


def test_defaults_above_their_limits_are_refused_at_start_up() -> None:
    """A deployment cannot set a default pace faster than the ceiling overrides are clamped to."""
    with pytest.raises(ValueError, match="SCRAPER_HOST_MAX_IN_FLIGHT"):
        PolitenessSettings(host_max_in_flight=5, host_max_in_flight_limit=4)


def test_the_robots_opt_out_covers_the_tenants_own_hosts_and_their_subdomains_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SCRAPER_ROBOTS_OPT_OUT (JSON) lets tenant acme ignore robots.txt on shop.acme.example and www.shop...,
    not on evilshop.acme.example, and never for another tenant."""
    monkeypatch.setenv("SCRAPER_ROBOTS_OPT_OUT", '{"acme": ["Shop.Acme.Example"]}')
    settings = PolitenessSettings()
    assert settings.ignores_robots("acme", "shop.acme.example")
    assert settings.ignores_robots("acme", "www.shop.acme.example")
    assert not settings.ignores_robots("acme", "evilshop.acme.example")
    assert not settings.ignores_robots("other", "shop.acme.example")
