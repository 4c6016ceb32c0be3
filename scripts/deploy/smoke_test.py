"""Smoke test of a deployed Productshot: the API answers over HTTPS, /readyz is not public,
one job goes to ``completed``, and its ProductImageGenerated event reaches a subscriber.

    python scripts/deploy/smoke_test.py --api-url https://api.example.com \\
        --bus acme-prod-productshot --region eu-west-1      # key in PRODUCTSHOT_API_KEY

The subscriber is a temporary SQS queue with a rule on the bus (same account) matching this
run's nonce in the job's metadata; both are deleted at the end. The job carries its product
facts (no page to scrape), so it exercises the API, the bus, the renderer, S3 and the
events, not a shop's availability. Exit 0 when everything held, 1 with the failed step.
Needs boto3 and credentials that may create/delete a queue and a rule on the bus.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from typing import Any


class SmokeFailure(RuntimeError):
    """A step of the smoke test did not hold."""


def http(method: str, url: str, key: str | None = None, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """Status and JSON body (None when empty or not JSON) of one HTTPS request."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the operator's own URL
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def check_endpoints(api: str) -> None:
    deadline = time.monotonic() + 300
    while True:
        status, _ = http("GET", f"{api}/healthz")
        if status == 200:
            break
        if time.monotonic() > deadline:
            raise SmokeFailure(f"/healthz answered {status} for 5 minutes")
        time.sleep(5)
    status, _ = http("GET", f"{api}/readyz")
    if status != 404:
        raise SmokeFailure(f"/readyz answered {status} from outside; the listener should keep it inside the VPC (404)")
    print("ok: /healthz 200 over HTTPS (certificate valid for the hostname); /readyz 404 from outside")


def subscribe(sqs: Any, events: Any, bus: str, nonce: str) -> tuple[str, str]:
    """A temporary queue and a rule delivering this run's ProductImageGenerated to it."""
    name = f"productshot-smoke-{nonce}"
    queue_url = sqs.create_queue(QueueName=name, Attributes={"SqsManagedSseEnabled": "true"})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {
        "detail-type": ["ProductImageGenerated"],
        "detail": {"metadata": {"smokeTest": [nonce]}},
    }
    rule_arn = events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern), State="ENABLED")[
        "RuleArn"
    ]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "smoke", "Arn": queue_arn}])
    return name, queue_url


def unsubscribe(sqs: Any, events: Any, bus: str, name: str, queue_url: str) -> None:
    events.remove_targets(Rule=name, EventBusName=bus, Ids=["smoke"])
    events.delete_rule(Name=name, EventBusName=bus)
    sqs.delete_queue(QueueUrl=queue_url)


def run_job(api: str, key: str, nonce: str, timeout: float) -> str:
    body = {
        "product": {"name": "Smoke Test Kettle", "price": "19.00", "currency": "EUR", "brand": "Productshot"},
        "formats": ["square"],
        "metadata": {"smokeTest": nonce},
    }
    status, job = http("POST", f"{api}/v1/jobs", key, body)
    if status != 202 or not isinstance(job, dict):
        raise SmokeFailure(f"POST /v1/jobs answered {status}: {job}")
    job_id = str(job["jobId"])
    print(f"ok: job {job_id} accepted")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, job = http("GET", f"{api}/v1/jobs/{job_id}", key)
        state = job.get("status") if isinstance(job, dict) else None
        if state == "completed":
            print(f"ok: job {job_id} completed with {len(job.get('images') or [])} image(s)")
            return job_id
        if state == "failed":
            raise SmokeFailure(f"job {job_id} failed: {job.get('error')}")
        time.sleep(5)
    raise SmokeFailure(f"job {job_id} not completed within {timeout:.0f} s (last status {state})")


def await_event(sqs: Any, queue_url: str, job_id: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20).get("Messages", []):
            event = json.loads(message["Body"])
            if event.get("detail", {}).get("jobId") == job_id:
                print(f"ok: ProductImageGenerated for {job_id} delivered to the subscriber queue")
                return
    raise SmokeFailure(f"no ProductImageGenerated for {job_id} reached the subscriber within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api-url", required=True, help="terraform output api_url")
    parser.add_argument("--bus", required=True, help="terraform output event_bus_name")
    parser.add_argument("--region", default=None)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the job to complete")
    args = parser.parse_args(argv)
    key = os.environ.get("PRODUCTSHOT_API_KEY", "")
    if not key:
        parser.error("set PRODUCTSHOT_API_KEY (scripts/deploy/create_api_key.py prints one)")
    import boto3

    api = args.api_url.rstrip("/")
    sqs, events = boto3.client("sqs", region_name=args.region), boto3.client("events", region_name=args.region)
    nonce = uuid.uuid4().hex[:12]
    try:
        check_endpoints(api)
        name, queue_url = subscribe(sqs, events, args.bus, nonce)
        try:
            job_id = run_job(api, key, nonce, args.timeout)
            await_event(sqs, queue_url, job_id, 120.0)
        finally:
            unsubscribe(sqs, events, args.bus, name, queue_url)
    except SmokeFailure as exc:
        print(f"SMOKE TEST FAILED: {exc}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
