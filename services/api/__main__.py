"""``python -m services.api``: serve the HTTP API with uvicorn until SIGTERM."""

from __future__ import annotations

import uvicorn

from services.api.app import create_app
from services.api.settings import ApiSettings
from services.common.logging import configure_logging
from services.common.metrics import configure_metrics
from services.common.settings import CommonSettings
from services.common.tracing import TracingSettings, configure_tracing


def main() -> None:
    common, settings = CommonSettings(), ApiSettings()
    configure_logging("api", common.log_level, common.log_format)
    configure_metrics("api", enabled=common.metrics)
    configure_tracing("api", TracingSettings())
    # uvicorn handles SIGTERM: it stops accepting, finishes open requests, runs the lifespan exit.
    uvicorn.run(
        create_app(common, settings),
        host=settings.host,
        port=settings.port,
        # The C HTTP parser and libuv loop (pinned in requirements.txt): about a sixth less CPU
        # per request than h11 on asyncio's own loop.
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=20,
    )


if __name__ == "__main__":
    main()
