"""GET /docs: the OpenAPI reference rendered by Redoc, served from the repo (no CDN, works offline).

Its Content-Security-Policy allows this origin only, with two concessions Redoc needs: the
styles it injects at run time ('unsafe-inline' for styles, never for scripts) and its search
index running in a worker made from a blob: URL.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from services.api.openapi import openapi_document
from services.api.webapp import security_headers

__all__ = ["DOCS_CSP", "STATIC_DIR", "docs", "openapi_json"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; frame-ancestors 'none'"
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Productshot API reference</title>
  <link rel="stylesheet" href="/static/redoc/docs.css">
  <link rel="icon" href="/static/app/favicon.svg" type="image/svg+xml">
</head>
<body>
  <redoc spec-url="/openapi.json" hide-download-button="false"></redoc>
  <script src="/static/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


async def docs(_: Request) -> Response:
    return HTMLResponse(_PAGE, headers=security_headers(DOCS_CSP))


async def openapi_json(_: Request) -> Response:
    return JSONResponse(openapi_document())
