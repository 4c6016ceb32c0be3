"""The bundled sample shop: a static server for ``localdev/sample/`` on 127.0.0.1.

``make demo`` points the pipeline at this page so it runs without the internet:

    python -m localdev.sample_site --port 0          # prints SAMPLE_SITE_URL=http://127.0.0.1:PORT

or, in a test: ``base_url, runner = await start_sample_site()`` ... ``await runner.cleanup()``.
``/`` and ``/product`` serve the product page; ``/images/...`` the product photos.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path

from aiohttp import web

__all__ = ["SAMPLE_DIR", "PRODUCT_PAGE", "build_app", "start_sample_site", "main"]

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
PRODUCT_PAGE = SAMPLE_DIR / "product.html"
DEFAULT_PORT = 8200


async def _product_page(_request: web.Request) -> web.FileResponse:
    # Explicit charset: the scraper decodes by header first, as it does for real shops.
    return web.FileResponse(PRODUCT_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})


def build_app() -> web.Application:
    """The app: the product page on ``/``, ``/product`` and ``/product.html``, photos under ``/images/``.

    Only the page and the images directory are exposed, not the whole sample folder (which
    also holds the photo generator script).
    """
    app = web.Application()
    for path in ("/", "/product", "/product.html"):
        app.router.add_get(path, _product_page)
    # add_static refuses ``..`` and symlinks out of the directory, and sets the type from the suffix.
    app.router.add_static("/images/", SAMPLE_DIR / "images", show_index=False)
    return app


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def start_sample_site(host: str = "127.0.0.1", port: int = 0) -> tuple[str, web.AppRunner]:
    """Start serving; returns ``(base_url, runner)``. Port 0 picks a free port.

    The caller stops it with ``await runner.cleanup()``.
    """
    return await serve_app(build_app(), host, port)


async def serve_app(app: web.Application, host: str, port: int) -> tuple[str, web.AppRunner]:
    """Serve ``app`` on ``host:port`` (0: a free port); ``(base_url, runner)``, cleaned up on failure."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    # The real port, which differs from ``port`` when it was 0.
    bound_port = runner.addresses[0][1]
    return f"http://{_url_host(host)}:{bound_port}", runner


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m localdev.sample_site", description="Serve the sample product page."
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"0 picks a free port (default {DEFAULT_PORT})"
    )
    return parser.parse_args(argv)


async def serve(host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    base_url, runner = await start_sample_site(host, port)
    try:
        # First stdout line, machine-readable: scripts read the URL from it when --port is 0.
        print(f"SAMPLE_SITE_URL={base_url}", flush=True)
        print(f"sample product page: {base_url}/product", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
