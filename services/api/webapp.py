"""The web app at /app: one HTML page and its static script and styles, from this API's origin.

The page is rendered here (the choice lists come from the API's own option names, so they
cannot drift); everything else is done in the browser by /static/app/*.js calling /v1 with
the API key in the Authorization header. The Content-Security-Policy allows this origin
only: no inline script or style, no external host, no framing.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from services.api.v1.job_images import job_image, job_images_zip
from services.api.v1.job_stream import job_events
from services.common.image_options import (
    DEFAULT_FORMAT,
    DEFAULT_OUTPUT,
    DEFAULT_STYLE,
    FORMAT_NAMES,
    FORMAT_SIZES,
    OUTPUT_NAMES,
    STYLE_NAMES,
)

__all__ = ["APP_CSP", "security_headers", "webapp_routes"]

_PAGE = Template((Path(__file__).resolve().parent / "static" / "app" / "index.html").read_text())

APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def _checkboxes(name: str, values: tuple[str, ...], checked: str, hints: dict[str, str]) -> str:
    return "\n".join(
        f'<label class="choice"><input type="checkbox" name="{name}" value="{escape(v)}"'
        f'{" checked" if v == checked else ""}> {escape(v)}{hints.get(v, "")}</label>'
        for v in values
    )


def _options(values: tuple[str, ...], selected: str) -> str:
    return "\n".join(
        f'<option value="{escape(v)}"{" selected" if v == selected else ""}>{escape(v)}</option>' for v in values
    )


def render_page() -> str:
    sizes = {name: f' <span class="hint">{w}×{h}</span>' for name, (w, h) in FORMAT_SIZES.items()}
    return _PAGE.substitute(
        formats=_checkboxes("formats", FORMAT_NAMES, DEFAULT_FORMAT, sizes),
        outputs=_options(OUTPUT_NAMES, DEFAULT_OUTPUT),
        styles=_options(STYLE_NAMES, DEFAULT_STYLE),
    )


async def app_page(_: Request) -> Response:
    return HTMLResponse(render_page(), headers=security_headers(APP_CSP))


async def to_app(_: Request) -> Response:
    return RedirectResponse("/app", status_code=307)


def webapp_routes() -> list[BaseRoute]:
    return [
        Route("/app", app_page, methods=["GET"]),
        Route("/app/", to_app, methods=["GET"]),
        Route("/v1/jobs/{jobId}/events", job_events, methods=["GET"]),
        Route("/v1/jobs/{jobId}/images.zip", job_images_zip, methods=["GET"]),
        Route("/v1/jobs/{jobId}/images/{format}", job_image, methods=["GET"]),
    ]
