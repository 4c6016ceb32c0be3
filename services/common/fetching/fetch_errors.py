"""What can go wrong when we fetch a stranger's URL.

Each error is either permanent (retrying cannot help: fail the job at once) or transient
(the shop was slow or busy: retry with backoff), and that is a property of its type.
Messages are written for the shop owner who typed the URL, not for us.
"""

from __future__ import annotations

from services.common.errors import PermanentError, ProductshotError, TransientError

__all__ = [
    "FetchError",
    "UnsupportedUrlError",
    "BlockedAddressError",
    "BlockedPortError",
    "HostNotFoundError",
    "InsecureConnectionError",
    "TooManyRedirectsError",
    "HttpStatusError",
    "NotHtmlError",
    "NotAnImageError",
    "TooLargeError",
    "UndecodableContentError",
    "FetchTransientError",
    "FetchTimeoutError",
    "FetchConnectionError",
    "RateLimitedError",
    "ServerError",
]


class FetchError(ProductshotError):
    """Base class of every error the safe fetcher raises."""


# --- permanent -------------------------------------------------------------------------


class UnsupportedUrlError(FetchError, PermanentError):
    """The URL is malformed, not http(s), or carries a user name or password."""


class BlockedAddressError(FetchError, PermanentError):
    """The URL, a redirect or a DNS answer points at an address we never contact."""


class BlockedPortError(BlockedAddressError):
    """The URL asks for a port other than the allowed web ports."""


class HostNotFoundError(FetchError, PermanentError):
    """The host name does not exist in DNS."""


class InsecureConnectionError(FetchError, PermanentError):
    """The HTTPS certificate could not be verified."""


class TooManyRedirectsError(FetchError, PermanentError):
    """The page redirected more times than allowed, or in a loop."""


class HttpStatusError(FetchError, PermanentError):
    """The page answered with a client error (404, 410, 403 ...)."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


class NotHtmlError(FetchError, PermanentError):
    """The URL answered with something that is not an HTML page."""


class NotAnImageError(FetchError, PermanentError):
    """An image URL answered with something that is not a supported image."""


class TooLargeError(FetchError, PermanentError):
    """The body (compressed or decompressed) or the image pixels exceed the limit."""


class UndecodableContentError(FetchError, PermanentError):
    """The body uses an unknown compression or its compressed data is corrupt."""


# --- transient -------------------------------------------------------------------------


class FetchTransientError(FetchError, TransientError):
    """Base class of fetch failures that may go away if we try again later."""


class FetchTimeoutError(FetchTransientError):
    """The shop did not connect or answer in time."""


class FetchConnectionError(FetchTransientError):
    """The connection failed or was reset, or DNS is temporarily unavailable."""


class RateLimitedError(FetchTransientError):
    """The shop answered 429 Too Many Requests; ``retry_after`` is its hint."""


class ServerError(FetchTransientError):
    """The shop answered with a 5xx server error (or 408 / 425)."""

    def __init__(self, reason: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(reason, retry_after=retry_after)
        self.status = status
