"""The exact API parameters of Productshot's topology, from infra/topology.json.

infra/bootstrap.py sends these to the local AWS; tests/infra/test_topology_drift.py
compares them with what Terraform evaluates from the same file.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["TABLE_KEYS", "EXPIRING_PREFIXES", "queue_arn", "desired_queues", "desired_rules", "desired_table",
           "desired_bucket"]


def queue_arn(region: str, account: str, name: str) -> str:
    return f"arn:aws:sqs:{region}:{account}:{name}"


def desired_queues(topology: dict[str, Any], region: str, account: str) -> list[dict[str, Any]]:
    """CreateQueue parameters, DLQs first so redrive policies can point at them."""
    queues: list[dict[str, Any]] = []
    for spec in topology["queues"].values():
        dlq = spec["dlq"]
        queues.append({"QueueName": dlq["name"], "Attributes": {
            "MessageRetentionPeriod": str(dlq["message_retention_seconds"]), "SqsManagedSseEnabled": "true"}})
    for name, spec in topology.get("extra_queues", {}).items():
        queues.append({"QueueName": name, "Attributes": {
            "MessageRetentionPeriod": str(spec["message_retention_seconds"]), "SqsManagedSseEnabled": "true"}})
    for name, spec in topology["queues"].items():
        redrive = {"deadLetterTargetArn": queue_arn(region, account, spec["dlq"]["name"]),
                   "maxReceiveCount": spec["max_receive_count"]}
        queues.append({"QueueName": name, "Attributes": {
            "VisibilityTimeout": str(spec["visibility_timeout_seconds"]),
            "MessageRetentionPeriod": str(spec["message_retention_seconds"]),
            "ReceiveMessageWaitTimeSeconds": str(spec["receive_wait_time_seconds"]),
            "RedrivePolicy": json.dumps(redrive, separators=(",", ":")),
            "SqsManagedSseEnabled": "true",
        }})
    return queues


def desired_rules(topology: dict[str, Any], region: str, account: str) -> list[dict[str, Any]]:
    """PutRule + PutTargets parameters for every rule on the bus."""
    bus = topology["bus"]["name"]
    rules = []
    for name, spec in topology["rules"].items():
        target: dict[str, Any] = {
            "Id": spec["target_queue"],
            "Arn": queue_arn(region, account, spec["target_queue"]),
            "RetryPolicy": {"MaximumRetryAttempts": spec["retry_policy"]["maximum_retry_attempts"],
                            "MaximumEventAgeInSeconds": spec["retry_policy"]["maximum_event_age_in_seconds"]},
            "DeadLetterConfig": {"Arn": queue_arn(region, account, spec["target_dlq"])},
        }
        rules.append({
            "rule": {"Name": name, "EventBusName": bus, "EventPattern": json.dumps(spec["event_pattern"]),
                     "State": "ENABLED", "Description": spec["description"]},
            "targets": {"Rule": name, "EventBusName": bus, "Targets": [target]},
        })
    return rules


#: The topology's tables: the jobs table and the batches table (the same shape of entry).
TABLE_KEYS = ("table", "batches_table")


def desired_table(topology: dict[str, Any], key: str = "table") -> dict[str, Any]:
    """CreateTable parameters (and the TTL setting) of one topology table: ``table`` (jobs) or ``batches_table``."""
    table = topology[key]
    gsis = [{
        "IndexName": name,
        "KeySchema": [{"AttributeName": spec["hash_key"], "KeyType": "HASH"},
                      {"AttributeName": spec["range_key"], "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": spec["projection"]},
    } for name, spec in table["global_secondary_indexes"].items()]
    keys = [{"AttributeName": table["hash_key"], "KeyType": "HASH"}]
    if table.get("range_key"):
        keys.append({"AttributeName": table["range_key"], "KeyType": "RANGE"})
    return {
        "TableName": table["name"],
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": keys,
        "AttributeDefinitions": [{"AttributeName": k, "AttributeType": v} for k, v in table["attributes"].items()],
        "GlobalSecondaryIndexes": gsis,
        "SSESpecification": {"Enabled": True},
        "ttl": {"AttributeName": table["ttl_attribute"], "Enabled": True},
    }


#: The bucket's prefixes that expire after bucket.lifecycle_expiration_days (topology ``<name>_prefix``).
EXPIRING_PREFIXES = ("images", "batches")


def desired_bucket(topology: dict[str, Any]) -> dict[str, Any]:
    bucket = topology["bucket"]
    return {
        "Bucket": bucket["name"],
        # A job's files and a batch's files (request, ZIP) expire with the images (Terraform: expiring_prefixes).
        "Lifecycle": {"Rules": [{
            "ID": f"expire-{name}", "Status": "Enabled", "Filter": {"Prefix": bucket[f"{name}_prefix"]},
            "Expiration": {"Days": bucket["lifecycle_expiration_days"]},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        } for name in EXPIRING_PREFIXES]},
        "Encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "PublicAccessBlock": {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                              "RestrictPublicBuckets": True},
    }
