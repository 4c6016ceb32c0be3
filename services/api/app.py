"""The API application: Starlette, its AWS clients opened once in the lifespan.

/generative-ai-images/...   the seed's two endpoints, unchanged (seed_routes.py)
/v1/jobs...                 the versioned API (v1/routes.py)
/v1/batches...              batches of products (v1/batch_routes.py)
/healthz /readyz            probes; /openapi.json and /docs the reference
/app                        the web app (webapp.py; its script and styles under /static/app/)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from services.api.auth import ApiKeyRing
from services.api.batch_desk import BatchDesk
from services.api.docs_page import STATIC_DIR, docs, openapi_json
from services.api.dynamo_idempotency import DynamoIdempotencyStore
from services.api.idempotency import IdempotencyGuard
from services.api.job_removal import JobRemover
from services.api.key_ring_source import KeyRingRefresher, load_key_ring
from services.api.limiter import LimitDefaults, Limiter
from services.api.middleware import REQUEST_ID_HEADER, CallerGate, RequestContext
from services.api.presign import Presigner
from services.api.problem_map import PROBLEMS, domain_problem
from services.api.problems import Problem, problem_response
from services.api.rate_limit import TokenBuckets
from services.api.readiness import healthz, readyz
from services.api.review_answers import ReviewDesk
from services.api.seed_routes import seed_routes
from services.api.settings import ApiSettings
from services.api.state import ApiState
from services.api.v1.batch_routes import batch_routes
from services.api.v1.routes import v1_routes
from services.api.webapp import webapp_routes
from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.dynamo_window_counter import DynamoWindowCounter
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.s3_job_files import S3JobFiles
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.adapters.ssm_parameters import SsmParameters
from services.common.aws import aws_clients
from services.common.batch_store import BatchStore
from services.common.errors import TransientError
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher
from services.common.job_files import JobFiles
from services.common.job_store import JobStore
from services.common.job_submitter import JobSubmitter
from services.common.logging import get_logger
from services.common.parameters import Parameters
from services.common.settings import CommonSettings
from services.common.source_image import SourceImageStore
from services.common.tracing import shutdown_tracing
from services.common.window_counter import WindowCounter
from services.common.work_queue import WorkQueue

__all__ = ["create_app", "build_state"]

_log = get_logger(__name__)


async def build_state(stack: AsyncExitStack, common: CommonSettings, settings: ApiSettings) -> ApiState:
    """Every client and helper, opened on ``stack`` (closed when the app stops)."""
    from services.common.adapters.dynamo_batch_store import DynamoBatchStore

    # Last out: uvicorn re-raises SIGTERM once the app has stopped, so nothing after
    # uvicorn.run (nor atexit) runs; the spans still buffered are exported here.
    stack.callback(shutdown_tracing)
    aws = await stack.enter_async_context(
        aws_clients(common.aws_region, "dynamodb", "sqs", "events", "s3", "ssm")
    )
    # The caller's image is fetched inside the request: one attempt, bounded by our own timeout.
    fetch = FetchSettings().model_copy(
        update={"retry_attempts": 1, "total_timeout": settings.image_fetch_timeout}
    )
    fetcher = await stack.enter_async_context(SafeFetcher(fetch))
    store = DynamoJobStore(aws.dynamodb, common.jobs_table)
    # Concurrent requests' queue sends and events go out together (each awaits its own entry).
    size, linger = settings.handoff_batch_size, settings.handoff_linger_ms / 1000
    queue = SqsWorkQueue(aws.sqs, batch_size=size, linger=linger)
    publisher = EventBridgePublisher(aws.events, common.event_bus, batch_size=size, linger=linger)
    # Registered after the clients: on shutdown, what is waiting is sent before they close.
    stack.push_async_callback(publisher.aclose)
    stack.push_async_callback(queue.aclose)
    files = S3JobFiles(aws.s3, common.bucket)
    parameters = SsmParameters(aws.ssm)
    keys = await load_key_ring(
        disabled=settings.auth_disabled,
        configured=settings.keys.get_secret_value(),
        parameters=parameters,
        parameter=common.api_keys_parameter,
    )
    if not settings.seed_require_key:
        # Honoured on a loopback API_HOST only (settings.py): say so where nobody can miss it.
        _log.warning("seed_paths_open", hint="anyone who reaches this API can start jobs; local runs only")
    submitter = JobSubmitter(
        store=store,
        publisher=publisher,
        queue=queue,
        scrape_queue=common.scrape_queue,
        ttl_hours=common.job_ttl_hours,
        handoff_timeout=settings.handoff_timeout,
    )
    stack.push_async_callback(submitter.aclose)  # runs first: its events join the final flush
    state = ApiState(
        common=common,
        settings=settings,
        store=store,
        queue=queue,
        files=files,
        keys=keys,
        submitter=submitter,
        presigner=Presigner(files, settings.presign_ttl_seconds),
        buckets=TokenBuckets(settings.rate_limit_per_second, settings.rate_limit_burst),
        limiter=build_limiter(DynamoWindowCounter(aws.dynamodb, common.jobs_table), settings, store, common),
        idempotency=IdempotencyGuard(
            DynamoIdempotencyStore(aws.dynamodb, common.jobs_table, settings.idempotency_ttl_hours)
        ),
        source_images=SourceImageStore(fetcher, files),
        remover=JobRemover(store, files),
        reviews=ReviewDesk(store=store, publisher=publisher, handoff_timeout=settings.handoff_timeout),
        **batch_parts(DynamoBatchStore(aws.dynamodb, common.batches_table), files, queue, common, settings),
    )
    if not settings.auth_disabled and not settings.keys.get_secret_value().strip():
        await start_key_refresh(stack, state, parameters, common.api_keys_parameter)
    return state


def batch_parts(
    batches: BatchStore, files: JobFiles, queue: WorkQueue, common: CommonSettings, settings: ApiSettings
) -> dict[str, Any]:
    """The ApiState fields of /v1/batches, on the given batch store."""
    desk = BatchDesk(store=batches, files=files, queue=queue, batch_queue=common.batch_queue,
                     ttl_hours=common.batch_ttl_hours, handoff_timeout=settings.handoff_timeout)
    return {"batches": batches, "batch_desk": desk}


def build_limiter(
    counter: WindowCounter, settings: ApiSettings, store: JobStore, common: CommonSettings
) -> Limiter | None:
    if not settings.shared_limits:
        _log.warning("shared_limits_off", hint="no quota, no cross-task rate limit, no auth-failure throttle")
        return None
    defaults = LimitDefaults(
        requests_per_second=settings.limit_requests_per_second,
        jobs_per_day=settings.limit_jobs_per_day,
        jobs_in_flight=settings.limit_jobs_in_flight,
        auth_failures_per_minute=settings.limit_auth_failures_per_minute,
    )
    return Limiter(counter, defaults, store=store, job_ttl_hours=common.job_ttl_hours)


async def start_key_refresh(stack: AsyncExitStack, state: ApiState, parameters: Parameters, parameter: str) -> None:
    """Reload the SSM key list in the background for as long as ``stack`` is open."""

    def install(ring: ApiKeyRing) -> None:
        state.keys = ring  # one reference swap: a request sees the old ring or the new one, whole

    refresher = KeyRingRefresher(parameters, parameter, install, interval=state.settings.keys_refresh_seconds)
    task = asyncio.create_task(refresher.run(), name="api-key-refresh")

    async def stop() -> None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    stack.push_async_callback(stop)


async def _problem(request: Request, exc: Exception) -> Response:
    return problem_response(
        exc if isinstance(exc, Problem) else Problem(500, "Unexpected error."), request.url.path
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = {404: "No such resource.", 405: "Method not allowed here."}.get(exc.status_code, str(exc.detail))
    return problem_response(
        Problem(exc.status_code, detail, headers=dict(exc.headers or {})), request.url.path
    )


async def _unavailable(request: Request, exc: Exception) -> Response:
    _log.warning("dependency_unavailable", error=str(exc), path=request.url.path)
    return problem_response(
        Problem(503, "A backing service is unavailable; try again shortly.", headers={"Retry-After": "5"}),
        request.url.path,
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        *seed_routes(),
        *v1_routes(),
        *batch_routes(),
        *webapp_routes(),
    ]


def create_app(
    common: CommonSettings | None = None, settings: ApiSettings | None = None, state: ApiState | None = None
) -> Starlette:
    """``state`` given (unit tests): use it instead of opening AWS clients."""
    common = common or CommonSettings()
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.api = state or await build_state(stack, common, settings)
            yield

    middleware = [Middleware(RequestContext)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["Authorization", "Content-Type", "Idempotency-Key", REQUEST_ID_HEADER],
                expose_headers=["Location", "Retry-After", "Idempotent-Replayed", REQUEST_ID_HEADER],
                max_age=600,
            )
        )
    middleware.append(Middleware(CallerGate))
    handlers = {
        Problem: _problem,
        HTTPException: _http_error,
        # Any AWS failure reaches here as DependencyUnavailableError (a TransientError).
        TransientError: _unavailable,
        **{error: domain_problem for error in PROBLEMS},
    }
    return Starlette(routes=routes(), middleware=middleware, lifespan=lifespan, exception_handlers=handlers)  # type: ignore[arg-type]
