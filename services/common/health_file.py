"""The file a queue worker touches on every turn of its loop, read by the container health check.

A file that cannot be written at start-up stops the worker (``HealthFileError``): the
container health check could never pass, so the task would only be killed later with no
reason in its log. A file that stops being writable later is logged once per streak while
the loop carries on: the health check then fails on the stale file and ECS replaces the task.
"""

from __future__ import annotations

from pathlib import Path

from services.common.logging import get_logger

__all__ = ["HealthFile", "HealthFileError"]

_log = get_logger(__name__)


class HealthFileError(RuntimeError):
    """The worker cannot write its health file, so its container can never be healthy."""


class HealthFile:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._written = False
        self._failing = False

    def touch(self) -> None:
        """Mark the loop alive; raises HealthFileError only if the file was never written."""
        if self.path is None:
            return
        try:
            self.path.touch()
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc.strerror or exc}"
            if not self._written:
                _log.error("health_file_unwritable", path=str(self.path), error=error)
                raise HealthFileError(f"cannot write the health file {self.path} ({error})") from exc
            if not self._failing:
                _log.error("health_file_touch_failed", path=str(self.path), error=error,
                           hint="the container health check will fail and the task be replaced")
            self._failing = True
            return
        if self._failing:
            _log.warning("health_file_touch_recovered", path=str(self.path))
        self._written, self._failing = True, False
