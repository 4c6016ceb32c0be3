"""Where the CLI takes its API and key from, and how Ctrl-C ends a batch follow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from services.cli import batches, exits
from services.cli.app import app
from services.cli.config import ConfigError, resolve


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in ("PRODUCTSHOT_API", "PRODUCTSHOT_KEY", "PRODUCTSHOT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "productshot").mkdir()
    (tmp_path / "productshot" / "config.toml").write_text(
        'default = "local"\n[profiles.local]\napi = "http://local:1/"\n'
        '[profiles.prod]\napi = "https://prod"\nkey = "prod-key"\n')
    return tmp_path


def test_flag_beats_environment_beats_profile(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The profile fills what neither flag nor environment gives; env beats profile; flag beats env."""
    assert resolve(None, None).api == "http://local:1"
    assert resolve(None, None, "prod").key == "prod-key"
    monkeypatch.setenv("PRODUCTSHOT_API", "http://env:2")
    assert resolve(None, None, "prod").api == "http://env:2"
    assert resolve("http://flag:3", None, "prod").api == "http://flag:3"


def test_unknown_profile_is_an_error_and_the_key_is_not_in_repr(xdg: Path) -> None:
    """An unknown profile raises ConfigError; the config's repr hides the key."""
    with pytest.raises(ConfigError):
        resolve(None, None, "nope")
    assert "prod-key" not in repr(resolve(None, None, "prod"))


def test_unknown_profile_on_the_command_line_is_exit_2(xdg: Path) -> None:
    """--profile naming no profile ends with the usage exit code."""
    assert CliRunner().invoke(app, ["--profile", "nope", "status", "j"]).exit_code == exits.USAGE


def test_ctrl_c_while_following_a_batch_is_130_with_a_resume_hint(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during polling stops cleanly: exit 130, the state file stays, the hint says --resume."""
    out = tmp_path / "o"
    out.mkdir()
    (out / batches.STATE_FILE).write_text(json.dumps({"batchId": "b9"}))

    def interrupted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    monkeypatch.setattr(batches, "poll", interrupted)
    result = CliRunner().invoke(app, ["batch", "--resume", "--out", str(out)])
    assert result.exit_code == exits.INTERRUPTED
    assert f"productshot batch --resume --out {out}" in result.output
    assert json.loads((out / batches.STATE_FILE).read_text())["batchId"] == "b9"
