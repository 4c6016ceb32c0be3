"""What every tenant-scoped route does first: its state and caller, and the caller's own record."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from starlette.requests import Request

from services.api.auth import Caller
from services.api.problems import Problem
from services.api.state import ApiState

__all__ = ["ctx", "owned"]


class _Tenanted(Protocol):
    tenant: str


_R = TypeVar("_R", bound=_Tenanted)


def ctx(request: Request) -> tuple[ApiState, Caller]:
    return request.app.state.api, request.state.caller


async def owned(get: Callable[[str], Awaitable[_R | None]], record_id: str, caller: Caller, not_found: str) -> _R:
    """The caller's record, or 404: another tenant's is indistinguishable from a missing one
    (and an id that is not a UUID is missing too, without asking the store)."""
    try:
        uuid.UUID(record_id)
    except ValueError:
        raise Problem(404, not_found) from None
    record = await get(record_id)
    if record is None or record.tenant != caller.tenant:
        raise Problem(404, not_found)
    return record


