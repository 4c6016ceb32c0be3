"""What the fault tests share: servers in a thread, job submission, final-state checks, a bus subscriber."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from aiohttp import web
from boto3.dynamodb.types import TypeDeserializer

from localdev.image_api import ImageAPIServer
from tests.integration.pages import PageServer

TABLE = "productshot-jobs"
BUCKET = "productshot-images"
FINAL = ("completed", "failed")
_DESER = TypeDeserializer()


class FaultPages(PageServer):
    """The test shop, plus pages that always answer 503 (``/fail/<slug>``)."""

    async def _always_503(self, request: web.Request) -> web.StreamResponse:
        slug = request.match_info["slug"]
        self.hits[f"fail/{slug}"] = self.hits.get(f"fail/{slug}", 0) + 1
        return web.Response(status=503, text="down for maintenance", headers={"Retry-After": "0"})


class BackgroundServers:
    """The image API and the shop on their own event loop in a thread: they keep serving
    while a test blocks in boto3 or subprocess calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="test-servers", daemon=True)
        self.image_api = ImageAPIServer()
        self.pages = FaultPages()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def start(self) -> BackgroundServers:
        self._thread.start()
        self.run(self.image_api.start())
        self.run(self._start_pages())
        return self

    async def _start_pages(self) -> None:
        pages = self.pages
        app = web.Application()
        app.router.add_get("/p/{slug}", pages._page)
        app.router.add_get("/img/{name}", pages._image)
        app.router.add_get("/fail/{slug}", pages._always_503)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        pages._runner = runner
        pages.base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]

    def stop(self) -> None:
        self.run(self.image_api.stop())
        self.run(self.pages.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)

    def image_control(self, **switches: Any) -> None:
        # Resolve `faults` on the loop, after any reset queued before: binding the method
        # here would update the object a pending reset is about to replace.
        self.run(self._update_faults(switches))

    async def _update_faults(self, switches: dict[str, Any]) -> None:
        self.image_api.faults.update(switches)

    def reset_image_api(self) -> None:
        self.run(self._reset())

    async def _reset(self) -> None:
        self.image_api.reset()

    def generations(self) -> int:
        """Image-model calls that returned an image (what would be paid for)."""
        stats = self.image_api.stats.to_dict()
        return sum(counts.get("200", 0) for counts in stats["outcomes"].values())

    def image_stats(self) -> dict[str, Any]:
        return self.image_api.stats.to_dict()


def product_urls(pages: PageServer, n: int, prefix: str) -> list[str]:
    return [
        pages.add_product(f"{prefix}-{i}", f"Copper Kettle {prefix} {i}", "129.00", regular="159.00")
        for i in range(n)
    ]


async def submit(api: str, urls: list[str], concurrency: int = 16) -> list[str]:
    """POST each URL to the seed endpoint; the accepted job ids, in order."""
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:

        async def one(url: str) -> str:
            async with gate:
                resp = await client.post("/generative-ai-images/generate", json={"productUrl": url})
                assert resp.status_code == 202, resp.text
                return str(resp.json()["jobId"])

        return list(await asyncio.gather(*(one(u) for u in urls)))


def read_jobs(dynamodb: Any, job_ids: list[str]) -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = {}
    for i in range(0, len(job_ids), 100):
        keys = [{"jobId": {"S": j}} for j in job_ids[i : i + 100]]
        request: dict[str, Any] = {TABLE: {"Keys": keys, "ConsistentRead": True}}
        while request:
            result = dynamodb.batch_get_item(RequestItems=request)
            for item in result["Responses"].get(TABLE, []):
                job = {k: _DESER.deserialize(v) for k, v in item.items()}
                jobs[str(job["jobId"])] = job
            request = result.get("UnprocessedKeys") or {}
    return jobs


async def wait_final(dynamodb: Any, job_ids: list[str], within: float) -> dict[str, dict[str, Any]]:
    """Every job's record once all are completed or failed; fails the test with the laggards."""
    deadline = time.monotonic() + within
    jobs: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        jobs = read_jobs(dynamodb, job_ids)
        if len(jobs) == len(job_ids) and all(j["status"] in FINAL for j in jobs.values()):
            return jobs
        await asyncio.sleep(0.5)
    stuck = {j: jobs.get(j, {}).get("status") for j in job_ids if jobs.get(j, {}).get("status") not in FINAL}
    raise AssertionError(
        f"{len(stuck)} of {len(job_ids)} jobs not final after {within}s: {list(stuck.items())[:10]}"
    )


def assert_completed_with_image(boto: Any, jobs: dict[str, dict[str, Any]]) -> None:
    """Each job completed, with exactly one stored square JPEG whose size matches the record."""
    for job_id, job in jobs.items():
        assert job["status"] == "completed", (job_id, job.get("status"), job.get("error"))
        assert len(job["images"]) == 1, job["images"]
        image = job["images"][0]
        head = boto.s3.head_object(Bucket=BUCKET, Key=image["key"])
        assert head["ContentLength"] == int(image["size"]) and head["ContentType"] == "image/jpeg"
        listed = boto.s3.list_objects_v2(Bucket=BUCKET, Prefix=f"jobs/{job_id}/")["Contents"]
        variants = [
            o["Key"] for o in listed if not o["Key"].rsplit("/", 1)[-1].startswith(("background", "source"))
        ]
        assert variants == [image["key"]], variants


def queue_depth(sqs: Any, name: str) -> int:
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    attrs = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )
    return sum(int(v) for v in attrs["Attributes"].values())


async def wait_drained(sqs: Any, names: tuple[str, ...], within: float) -> None:
    """Nothing left in the queues (visible, in flight or delayed): no message is stuck."""
    deadline = time.monotonic() + within
    depths: dict[str, int] = {}
    while time.monotonic() < deadline:
        depths = {n: queue_depth(sqs, n) for n in names}
        if not any(depths.values()):
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"queues not drained after {within}s: {depths}")


def dlq_messages(sqs: Any, name: str) -> list[dict[str, Any]]:
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(5):
        result = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=0,
            VisibilityTimeout=0,
            MessageAttributeNames=["All"],
        )
        for m in result.get("Messages", []):
            seen[m["MessageId"]] = m
    return list(seen.values())


class Subscriber:
    """A queue subscribed to the bus by its own rule, as another team would."""

    def __init__(self, sqs: Any, url: str) -> None:
        self._sqs, self.url = sqs, url

    def drain(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        while True:
            result = self._sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            messages = result.get("Messages", [])
            if not messages:
                return events
            for m in messages:
                events.append(json.loads(m["Body"]))
                self._sqs.delete_message(QueueUrl=self.url, ReceiptHandle=m["ReceiptHandle"])


@contextmanager
def bus_rule(
    boto: Any, detail_type: str, source: str, target_queue: str | None = None
) -> Iterator[Subscriber]:
    """A rule on the bus for ``detail_type`` into ``target_queue`` (a new queue when None)."""
    name = f"test-{detail_type.lower()}-{uuid.uuid4().hex[:6]}"
    created = target_queue is None
    queue_name = target_queue or name
    url = (
        boto.sqs.create_queue(QueueName=queue_name)["QueueUrl"]
        if created
        else boto.sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
    )
    arn = boto.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    boto.events.put_rule(
        Name=name,
        EventBusName="productshot",
        EventPattern=json.dumps({"source": [source], "detail-type": [detail_type]}),
    )
    boto.events.put_targets(Rule=name, EventBusName="productshot", Targets=[{"Id": "q", "Arn": arn}])
    try:
        yield Subscriber(boto.sqs, url)
    finally:
        boto.events.remove_targets(Rule=name, EventBusName="productshot", Ids=["q"])
        boto.events.delete_rule(Name=name, EventBusName="productshot")
        if created:
            boto.sqs.delete_queue(QueueUrl=url)
