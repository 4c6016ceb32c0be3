"""SDK failures turned into the project's errors, once, at the adapter's edge.

A ``ClientError`` whose code the caller names becomes the error the caller chose (a
conditional-check failure, a missing key ...); every other SDK, network or timeout failure
becomes ``DependencyUnavailableError`` (transient: retried, or a 503 at the API), always
``raise ... from exc`` so the cause stays in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from services.common.errors import DependencyUnavailableError, ProductshotError

__all__ = ["translated", "error_code", "ErrorFactory"]

#: Builds the project's error for a named code, from the reason text.
ErrorFactory = Callable[[str], ProductshotError]


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def translated(what: str, codes: Mapping[str, ErrorFactory] | None = None) -> Iterator[None]:
    """Run an SDK call; its failure leaves as ``codes[code]`` or ``DependencyUnavailableError``."""
    try:
        yield
    except ClientError as exc:
        code = error_code(exc)
        if codes and code in codes:
            raise codes[code](f"{what}: {code}") from exc
        raise DependencyUnavailableError(f"{what} unavailable ({code or 'no code'})") from exc
    except (BotoCoreError, OSError, TimeoutError) as exc:
        raise DependencyUnavailableError(f"{what} unavailable ({type(exc).__name__}: {exc})") from exc
