"""What the local bootstrap creates for batches, as the local AWS serves it: the
job-events-to-batcher rule delivers the job events of batch jobs (those with a batchId)
and nothing else, the batches table has its indexes and TTL, and a batch's files expire
with the images."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest

from services.common.topology import load_topology

pytestmark = pytest.mark.integration


def _mine(boto: Any, url: str, job_ids: set[str], *, wait: float) -> dict[str, dict[str, Any]]:
    """The queue's messages about ``job_ids`` (deleted); any other message is left visible."""
    found: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for m in boto.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                          VisibilityTimeout=0).get("Messages", []):
            body = json.loads(m["Body"])
            job_id = body.get("detail", {}).get("jobId") if isinstance(body, dict) else None
            if job_id in job_ids:
                found[job_id] = body
                boto.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return found


def test_the_rule_routes_batch_job_events_to_the_batch_worker_only(boto: Any) -> None:
    """Every followed job event with a batchId reaches batch-work; without one (a plain job),
    of another source, or of another type it does not: the pattern's ``exists`` matches here."""
    topo = load_topology()
    rule = topo["rules"]["job-events-to-batcher"]
    url = boto.sqs.get_queue_url(QueueName=rule["target_queue"])["QueueUrl"]
    batch_id = str(uuid.uuid4())
    wanted: dict[str, tuple[str, str]] = {}
    for source in rule["event_pattern"]["source"]:
        for detail_type in rule["event_pattern"]["detail-type"]:
            wanted[str(uuid.uuid4())] = (source, detail_type)
    unwanted = {
        str(uuid.uuid4()): ("productshot.scraper", "ProductScraped", False),  # no batchId
        str(uuid.uuid4()): ("productshot.batcher", "JobFailed", True),  # not a job source
        str(uuid.uuid4()): ("productshot.api", "JobDeleted", True),  # not a followed type
    }
    entries = [(job, source, dt, True) for job, (source, dt) in wanted.items()]
    entries += [(job, source, dt, has) for job, (source, dt, has) in unwanted.items()]
    for start in range(0, len(entries), 10):
        result = boto.events.put_events(Entries=[{
            "EventBusName": topo["bus"]["name"], "Source": source, "DetailType": dt,
            "Detail": json.dumps({"jobId": job, "attempt": 1, **({"batchId": batch_id} if has else {})}),
        } for job, source, dt, has in entries[start:start + 10]])
        assert result["FailedEntryCount"] == 0
    got = _mine(boto, url, set(wanted) | set(unwanted), wait=8)
    assert set(got) == set(wanted)
    for job, (source, detail_type) in wanted.items():
        assert (got[job]["source"], got[job]["detail-type"], got[job]["detail"]["batchId"]) == (
            source, detail_type, batch_id)


def test_the_batches_table_and_the_bucket_are_as_the_topology_says(boto: Any) -> None:
    """Key, indexes and TTL attribute of the batches table; batches/ expires like jobs/."""
    topo = load_topology()
    spec = topo["batches_table"]
    table = boto.dynamodb.describe_table(TableName=spec["name"])["Table"]
    assert [k["AttributeName"] for k in table["KeySchema"]] == [spec["hash_key"], spec["range_key"]]
    assert {g["IndexName"] for g in table["GlobalSecondaryIndexes"]} == set(spec["global_secondary_indexes"])
    ttl = boto.dynamodb.describe_time_to_live(TableName=spec["name"])["TimeToLiveDescription"]
    assert ttl["AttributeName"] == spec["ttl_attribute"]
    rules = boto.s3.get_bucket_lifecycle_configuration(Bucket=topo["bucket"]["name"])["Rules"]
    days = {r["Filter"]["Prefix"]: r["Expiration"]["Days"] for r in rules}
    bucket = topo["bucket"]
    assert days == {bucket["images_prefix"]: bucket["lifecycle_expiration_days"],
                    bucket["batches_prefix"]: bucket["lifecycle_expiration_days"]}
