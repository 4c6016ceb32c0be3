"""A real headless browser for the web app's tests: Debian's chromium driven by Playwright.

The browser is the system package scripts/setup.sh installs (never a download at run time);
without it, or without Playwright, these tests are skipped and say why. Screenshots of the
main screens go to SCREENSHOT_DIR (default .run/screenshots; docs/webapp/ for the guide).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import ROOT, RUN_DIR

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", RUN_DIR / "screenshots"))
if not SHOTS.is_absolute():
    SHOTS = ROOT / SHOTS

playwright_api = pytest.importorskip(
    "playwright.async_api", reason="Playwright is not installed (scripts/setup.sh installs requirements-dev.txt)"
)
if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium at {CHROMIUM} (scripts/setup.sh installs Debian's chromium)", allow_module_level=True)


@dataclass
class Tab:
    """One browser page and what it logged: script errors, CSP violations, hosts it asked."""

    page: Any
    errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)

    async def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        await chromium.close()


async def open_tab(browser: Any, *, width: int = 1100, height: int = 800, mobile: bool = False) -> Tab:
    context = await browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=mobile, has_touch=mobile,
        accept_downloads=True, permissions=["clipboard-read", "clipboard-write"],
    )
    page = await context.new_page()
    tab = Tab(page)
    page.on("pageerror", lambda exc: tab.errors.append(f"script error: {exc}"))
    page.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: tab.hosts.add(req.url.split("/")[2] if "://" in req.url else req.url))
    return tab


def script_errors(tab: Tab) -> list[str]:
    """Errors other than the browser's note of a 4xx answer (the app shows those in words)."""
    return [e for e in tab.errors if not e.startswith("Failed to load resource")]
