"""Container health check for the queue workers: ``python -m services.common.healthcheck``.

The consumer loop touches its health file every time it goes round (poll, back-off or
wait for a free slot). A file older than ``--max-age`` seconds means a stalled loop: exit 1
so ECS replaces the task.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

DEFAULT_HEALTH_FILE = "/tmp/productshot-worker.health"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--file", default=os.environ.get("WORKER_HEALTH_FILE", DEFAULT_HEALTH_FILE))
    parser.add_argument("--max-age", type=float, default=90.0, help="seconds since the last loop turn")
    args = parser.parse_args(argv)
    path = Path(args.file)
    if not path.exists():
        print(f"unhealthy: {path} does not exist (loop never started)")
        return 1
    age = time.time() - path.stat().st_mtime
    if age > args.max_age:
        print(f"unhealthy: consumer loop last turned {age:.0f}s ago")
        return 1
    print(f"healthy: consumer loop turned {age:.1f}s ago")
    return 0


if __name__ == "__main__":
    sys.exit(main())
