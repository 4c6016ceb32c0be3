"""GET /docs: the OpenAPI reference rendered by Redoc, served from the repo (no CDN, works offline)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from services.api.openapi import openapi_document

__all__ = ["STATIC_DIR", "docs", "openapi_json"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Productshot API reference</title>
  <style>body { margin: 0; }</style>
</head>
<body>
  <redoc spec-url="/openapi.json" hide-download-button="false"></redoc>
  <script src="/static/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


async def docs(_: Request) -> Response:
    return HTMLResponse(_PAGE)


async def openapi_json(_: Request) -> Response:
    return JSONResponse(openapi_document())
