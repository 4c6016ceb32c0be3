"""What every command shares: the resolved config, output mode, and error → exit code mapping."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console

from services.cli import exits
from services.cli.client import ApiClient, ApiError
from services.cli.config import CliConfig, ConfigError
from services.cli.files import DownloadError


@dataclass
class Session:
    config: CliConfig
    json_mode: bool
    console: Console  # stderr: progress and messages; stdout carries results only

    def client(self) -> ApiClient:
        return ApiClient(self.config.api, self.config.key)

    def emit(self, value: Any) -> None:
        """One JSON line on stdout (--json)."""
        sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    @property
    def live(self) -> bool:
        """A live display only on a terminal and without --json."""
        return not self.json_mode and self.console.is_terminal


def session(ctx: typer.Context) -> Session:
    obj = ctx.obj
    assert isinstance(obj, Session)
    return obj


@contextmanager
def exit_codes(s: Session | None, resume_hint: Callable[[], str] | None = None) -> Iterator[None]:
    """Turn the known failures into one line on stderr and their exit code."""
    console = s.console if s else Console(stderr=True, soft_wrap=True)
    try:
        yield
    except KeyboardInterrupt:
        hint = resume_hint() if resume_hint else ""
        console.print(f"interrupted; it keeps running server-side. {hint}".strip())
        raise typer.Exit(exits.INTERRUPTED) from None
    except (ApiError, DownloadError) as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(exits.API) from None
    except TimeoutError as exc:
        console.print(f"timed out: {exc}", markup=False)
        raise typer.Exit(exits.TIMEOUT) from None
    except (ConfigError, ValueError, OSError) as exc:  # after TimeoutError, an OSError
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(exits.USAGE) from None
