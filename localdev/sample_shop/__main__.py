"""``python -m localdev.sample_shop --port P --products N [--seed S]``."""

from __future__ import annotations

import argparse
import asyncio
import signal

from localdev.sample_shop.app import start_sample_shop


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    base_url, runner = await start_sample_shop(args.host, args.port, args.products, args.seed)
    try:
        print(f"SAMPLE_SHOP_URL={base_url}", flush=True)  # first line, machine-readable
        print(f"sitemap: {base_url}/sitemap.xml  feed: {base_url}/feed.xml  stats: {base_url}/_stats", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localdev.sample_shop", description="Serve the sample shop.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8300, help="0 picks a free port (default 8300)")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
