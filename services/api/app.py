"""The API application: Starlette, its AWS clients opened once in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services.api.jobs import JobSubmitter
from services.api.presign import Presigner
from services.api.seed_routes import seed_routes
from services.api.settings import ApiSettings
from services.api.state import ApiState
from services.common.aws import aws_clients
from services.common.events import EventBridgePublisher
from services.common.job_store import DynamoJobStore
from services.common.settings import CommonSettings

__all__ = ["create_app"]


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(common: CommonSettings | None = None, settings: ApiSettings | None = None) -> Starlette:
    common = common or CommonSettings()
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with aws_clients(common.aws_region, "dynamodb", "sqs", "events", "s3", "ssm") as aws:
            store = DynamoJobStore(aws.dynamodb, common.jobs_table)
            publisher = EventBridgePublisher(aws.events, common.event_bus)
            app.state.api = ApiState(
                common=common, settings=settings, store=store, aws=aws,
                submitter=JobSubmitter(store=store, publisher=publisher, sqs=aws.sqs,
                                       scrape_queue=common.scrape_queue, ttl_hours=common.job_ttl_hours),
                presigner=Presigner(aws.s3, settings.presign_ttl_seconds),
            )
            yield

    routes = [Route("/healthz", healthz, methods=["GET"]), *seed_routes()]
    return Starlette(routes=routes, lifespan=lifespan)
