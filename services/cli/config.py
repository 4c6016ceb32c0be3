"""Where the CLI finds the API and its key: flags > environment > config file profile.

The config file is ``$XDG_CONFIG_HOME/productshot/config.toml`` (default ``~/.config``)::

    default = "local"            # optional: the profile used without --profile
    [profiles.local]
    api = "http://127.0.0.1:8000"
    [profiles.prod]
    api = "https://api.example.com"
    key = "ps_..."

The key is only ever sent as ``Authorization: Bearer``; it is never printed nor put in a URL.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_API = "http://127.0.0.1:8000"


class ConfigError(Exception):
    """The configuration file cannot be read or names an unknown profile (a usage error)."""


@dataclass(frozen=True, slots=True)
class CliConfig:
    api: str
    key: str | None

    def __repr__(self) -> str:  # the key never shows in a traceback or log
        return f"CliConfig(api={self.api!r}, key={'***' if self.key else None})"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "productshot" / "config.toml"


def _profile(path: Path, name: str | None) -> dict[str, Any]:
    if not path.exists():
        if name:
            raise ConfigError(f"profile {name!r} asked for but {path} does not exist")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    profiles = data.get("profiles", {})
    chosen = name or data.get("default")
    if chosen is None:
        return dict(profiles.get("default", {}))
    if chosen not in profiles:
        raise ConfigError(f"{path} has no profile {chosen!r}")
    return dict(profiles[chosen])


def resolve(api: str | None, key: str | None, profile: str | None = None) -> CliConfig:
    """The API base URL and key: the flag if given, else the environment, else the profile."""
    prof = _profile(config_path(), profile or os.environ.get("PRODUCTSHOT_PROFILE"))
    chosen_api = api or os.environ.get("PRODUCTSHOT_API") or prof.get("api") or DEFAULT_API
    chosen_key = key or os.environ.get("PRODUCTSHOT_KEY") or prof.get("key") or None
    return CliConfig(api=str(chosen_api).rstrip("/"), key=chosen_key)
