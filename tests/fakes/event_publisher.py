"""The EventPublisher port in memory: records what was published (validated, as the adapter does)."""

from __future__ import annotations

from typing import Any

from services.common.errors import TransientError
from services.common.events import DetailType, validate_detail

__all__ = ["RecordingPublisher"]


class RecordingPublisher:
    """``events`` holds (detail type, detail, source) in order; ``down`` fails every publish."""

    def __init__(self, *, validate: bool = True) -> None:
        self.events: list[tuple[DetailType, dict[str, Any], str]] = []
        self.down = False
        self._validate = validate

    async def publish(self, detail_type: DetailType, detail: dict[str, Any], *, source: str) -> None:
        if self._validate:
            validate_detail(detail_type.value, detail)
        if self.down:
            raise TransientError(f"could not publish {detail_type.value}: fake bus down")
        self.events.append((detail_type, detail, source))
