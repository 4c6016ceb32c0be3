"""The batch follow's live bar on a terminal, and its plain lines without one."""

from __future__ import annotations

import io

from rich.console import Console

from services.cli.batch_command import _follow
from services.cli.config import CliConfig
from services.cli.context import Session
from tests.unit.cli.fake_api import serve


def test_on_a_terminal_the_bar_shows_done_total_and_failed() -> None:
    """A terminal gets the rich bar; its last frame shows 4/4 and 1 failed."""
    with serve() as state:
        screen = io.StringIO()
        s = Session(CliConfig(state.base, None), False, Console(file=screen, force_terminal=True, width=120))
        view = _follow(s, "b1", 0.0, None)
    assert view["status"] == "completed"
    last_frame = screen.getvalue().split("\r")[-1]
    assert "4/4" in last_frame and "1 failed" in last_frame and "/min" in last_frame


def test_without_a_terminal_progress_is_plain_lines() -> None:
    """Not a terminal: no bar, one plain line per change of progress (CI logs stay readable)."""
    with serve() as state:
        log = io.StringIO()
        s = Session(CliConfig(state.base, None), False, Console(file=log, force_terminal=False, width=120))
        _follow(s, "b1", 0.0, None)
    lines = log.getvalue().splitlines()
    assert lines == ["b1 running: 0/4 done, 0 failed", "b1 running: 2/4 done, 0 failed",
                     "b1 completed: 4/4 done, 1 failed"]
    assert "\x1b[" not in log.getvalue()
