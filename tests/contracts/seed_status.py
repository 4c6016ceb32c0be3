"""The seed's documented status answers: each status's fields and their JSON types.

The original service's README gives these shapes; clients written against it read every
field with these types (timestamps are Unix epoch seconds, JSON numbers). The unit tests
(tests/unit/api/test_seed_status.py) and the seed-style client on the local stack
(tests/integration/test_seed_contract.py) both hold the API to them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SEED_SHAPES", "ADDITIONS", "assert_seed_shape"]

SEED_SHAPES: dict[str, dict[str, type]] = {
    "pending": {"jobId": str, "status": str, "createdAt": int},
    "processing": {"jobId": str, "status": str, "createdAt": int, "message": str},
    "completed": {"jobId": str, "status": str, "createdAt": int, "completedAt": int, "imageUrl": str,
                  "urlExpiresAt": int, "fileName": str, "contentType": str, "overlayText": str},
    "failed": {"jobId": str, "status": str, "createdAt": int, "failedAt": int, "error": str},
}
# What Productshot adds to a status, only where a seed client cannot break on it: a new key
# it never reads. A failure's stable code and the trace id to quote to support.
ADDITIONS: dict[str, dict[str, type]] = {
    "failed": {"errorCode": str, "traceId": str},
}


def assert_seed_shape(body: dict[str, Any], status: str | None = None) -> None:
    """``body`` has exactly the fields of its status (or ``status``) and our additions, each of
    its JSON type."""
    status = status or body["status"]
    shape = {**SEED_SHAPES[status], **ADDITIONS.get(status, {})}
    assert set(body) == set(shape), body
    for name, kind in shape.items():
        # bool is an int in Python but not a number in JSON: rule it out explicitly.
        assert isinstance(body[name], kind) and not isinstance(body[name], bool), (name, body)
