"""Command line of the fake image API: ``python -m localdev.image_api --port 8100 ...``.

Every flag has an ``IMAGE_API_*`` variable, so compose files and Makefiles can set the
same switches; flags win over variables. The server runs until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal

from localdev.image_api.server import ImageAPIServer
from localdev.image_faults import Faults

__all__ = ["main", "parse_args"]


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"IMAGE_API_{name}")
    return value if value not in (None, "") else default


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m localdev.image_api", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=_env("HOST", "127.0.0.1"), help="bind address (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=int(_env("PORT", "8100") or 8100), help="0 picks a free port"
    )
    parser.add_argument(
        "--latency", type=float, default=float(_env("LATENCY", "0") or 0), help="seconds per request"
    )
    parser.add_argument("--fail-rate", type=float, default=float(_env("FAIL_RATE", "0") or 0), help="0..1")
    parser.add_argument("--fail-rate-status", type=int, default=int(_env("FAIL_RATE_STATUS", "500") or 500))
    parser.add_argument(
        "--fail-next",
        default=_env("FAIL_NEXT", "[]"),
        help='JSON list of faults, e.g. \'[{"status":429,"retry_after":1},{"status":500}]\'',
    )
    parser.add_argument("--hang-next", type=int, default=int(_env("HANG_NEXT", "0") or 0))
    parser.add_argument("--hang-seconds", type=float, default=float(_env("HANG_SECONDS", "600") or 600))
    parser.add_argument(
        "--content-policy-word",
        action="append",
        default=[w for w in (_env("CONTENT_POLICY_WORDS", "") or "").split(",") if w.strip()],
        help="refuse prompts containing this word (repeatable; env: comma-separated)",
    )
    parser.add_argument("--alter-rate", type=float, default=float(_env("ALTER_RATE", "0") or 0),
                        help="0..1: share of edit answers whose product is altered (localdev.image_alter)")
    parser.add_argument("--alter-kinds", default=_env("ALTER_KINDS", "recolour,warp,label"),
                        help="comma-separated: recolour, warp, label")
    parser.add_argument("--api-key", default=_env("REQUIRE_KEY"), help="require this bearer token")
    return parser.parse_args(argv)


def faults_from(args: argparse.Namespace) -> Faults:
    faults = Faults()
    faults.update(
        {
            "latency": args.latency,
            "fail_rate": args.fail_rate,
            "fail_rate_status": args.fail_rate_status,
            "fail_next": json.loads(args.fail_next or "[]"),
            "hang_next": args.hang_next,
            "hang_seconds": args.hang_seconds,
            "content_policy_when_prompt_contains": args.content_policy_word,
            "alter_rate": args.alter_rate,
            "alter_kinds": [k.strip() for k in (args.alter_kinds or "").split(",") if k.strip()],
        }
    )
    return faults


async def serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with ImageAPIServer(args.host, args.port, faults=faults_from(args), api_key=args.api_key) as server:
        print(f"image API listening on {server.base_url}", flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
