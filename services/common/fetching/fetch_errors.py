"""What can go wrong when we fetch a stranger's URL.

Each error is either permanent (retrying cannot help: fail the job at once) or transient
(the shop was slow or busy: retry with backoff), and that is a property of its type.
Messages are written for the shop owner who typed the URL, not for us. Each class also
says which failure code it shows a tenant and whether its message may be shown as is: a
refused address, an unknown host and a failed connection all show one sentence, so a
caller cannot learn from the answer whether some internal host exists.
"""

from __future__ import annotations

from services.common.errors import DeferredError, PermanentError, ProductshotError, TransientError
from services.common.failure_codes import FailureCode

__all__ = [
    "FetchError",
    "UnsupportedUrlError",
    "BlockedAddressError",
    "BlockedPortError",
    "HostNotFoundError",
    "InsecureConnectionError",
    "TooManyRedirectsError",
    "HttpStatusError",
    "BotWallError",
    "RobotsDisallowedError",
    "NotHtmlError",
    "NotAnImageError",
    "NotADocumentError",
    "TooLargeError",
    "UndecodableContentError",
    "FetchTransientError",
    "FetchTimeoutError",
    "FetchConnectionError",
    "RateLimitedError",
    "ServerError",
    "HostBusyError",
]


class FetchError(ProductshotError):
    """Base class of every error the safe fetcher raises."""

    failure_code = FailureCode.PAGE_UNREACHABLE
    public_reason = False


# --- permanent -------------------------------------------------------------------------


class UnsupportedUrlError(FetchError, PermanentError):
    """The URL is malformed, not http(s), or carries a user name or password."""

    failure_code = FailureCode.INVALID_URL
    public_reason = True


class BlockedAddressError(FetchError, PermanentError):
    """The URL, a redirect or a DNS answer points at an address we never contact."""

    failure_code = FailureCode.PAGE_UNREACHABLE
    public_reason = False


class BlockedPortError(BlockedAddressError):
    """The URL asks for a port other than the allowed web ports."""

    failure_code = FailureCode.INVALID_URL
    public_reason = True


class HostNotFoundError(FetchError, PermanentError):
    """The host name does not exist in DNS."""

    failure_code = FailureCode.PAGE_UNREACHABLE
    public_reason = False


class InsecureConnectionError(FetchError, PermanentError):
    """The HTTPS certificate could not be verified."""

    failure_code = FailureCode.PAGE_UNREACHABLE
    public_reason = True


class TooManyRedirectsError(FetchError, PermanentError):
    """The page redirected more times than allowed, or in a loop."""

    failure_code = FailureCode.NOT_A_PAGE
    public_reason = True


class HttpStatusError(FetchError, PermanentError):
    """The page answered with a client error (404, 410, 403 ...)."""

    failure_code = FailureCode.PAGE_BLOCKED
    public_reason = True

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


class BotWallError(HttpStatusError):
    """The shop's bot protection answered instead of the page (a challenge or a block)."""

    failure_code = FailureCode.BOT_WALL


class RobotsDisallowedError(FetchError, PermanentError):
    """The shop's robots.txt does not allow our user agent on this path."""

    failure_code = FailureCode.ROBOTS_DISALLOWED
    public_reason = True


class NotHtmlError(FetchError, PermanentError):
    """The URL answered with something that is not an HTML page."""

    failure_code = FailureCode.NOT_A_PAGE
    public_reason = True


class NotAnImageError(FetchError, PermanentError):
    """An image URL answered with something that is not a supported image."""

    failure_code = FailureCode.IMAGE_UNUSABLE
    public_reason = True


class NotADocumentError(FetchError, PermanentError):
    """A sitemap, feed or JSON URL answered with some other kind of content."""

    failure_code = FailureCode.NOT_A_PAGE
    public_reason = True


class TooLargeError(FetchError, PermanentError):
    """The body (compressed or decompressed) or the image pixels exceed the limit."""

    failure_code = FailureCode.TOO_LARGE
    public_reason = True


class UndecodableContentError(FetchError, PermanentError):
    """The body uses an unknown compression or its compressed data is corrupt."""

    failure_code = FailureCode.NOT_A_PAGE
    public_reason = True


# --- transient -------------------------------------------------------------------------


class FetchTransientError(FetchError, TransientError):
    """Base class of fetch failures that may go away if we try again later."""

    failure_code = FailureCode.PAGE_UNAVAILABLE
    public_reason = True


class FetchTimeoutError(FetchTransientError):
    """The shop did not connect or answer in time."""


class FetchConnectionError(FetchTransientError):
    """The connection failed or was reset, or DNS is temporarily unavailable."""

    failure_code = FailureCode.PAGE_UNREACHABLE
    public_reason = False


class RateLimitedError(FetchTransientError):
    """The shop answered 429 Too Many Requests; ``retry_after`` is its hint."""

    failure_code = FailureCode.SHOP_RATE_LIMITED


class ServerError(FetchTransientError):
    """The shop answered with a 5xx server error (or 408 / 425)."""

    def __init__(self, reason: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(reason, retry_after=retry_after)
        self.status = status


class HostBusyError(FetchTransientError, DeferredError):
    """No turn at the shop's host within our bounded wait (our own per-host pace, or its back-off)."""

    failure_code = FailureCode.SHOP_BUSY
