"""Create Productshot's topology on the AWS the SDK points at (LocalStack locally).

    python -m infra.bootstrap [--api-key TENANT:KEY ...]

Everything comes from infra/topology.json, the same file Terraform reads. Idempotent:
each resource is compared with what exists, and a second run reports every resource
``unchanged``. The ``desired_*`` functions (infra/topology_params.py) return the exact API
parameters, so the drift test can compare them with Terraform.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from typing import Any

import boto3
from botocore.exceptions import ClientError

from infra.topology_params import (
    EXPIRING_PREFIXES,
    TABLE_KEYS,
    desired_bucket,
    desired_queues,
    desired_rules,
    desired_table,
)
from services.common.tenants import split_key_arg
from services.common.topology import load_topology

# The desired_* functions live in topology_params.py; named here too for the drift tests.
__all__ = ["TABLE_KEYS", "EXPIRING_PREFIXES", "desired_queues", "desired_rules", "desired_table", "desired_bucket",
           "bootstrap", "hash_api_key"]


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()



class _Report:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def add(self, resource: str, outcome: str) -> None:
        self.lines.append((resource, outcome))
        print(f"{outcome:>9}  {resource}", flush=True)

    @property
    def changed(self) -> int:
        return sum(1 for _, outcome in self.lines if outcome != "unchanged")


def _queues(sqs: Any, topology: dict[str, Any], region: str, account: str, report: _Report) -> None:
    for spec in desired_queues(topology, region, account):
        name, attrs = spec["QueueName"], spec["Attributes"]
        try:
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except ClientError:
            sqs.create_queue(QueueName=name, Attributes=attrs)
            report.add(f"sqs:{name}", "created")
            continue
        current = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        stale = {k: v for k, v in attrs.items() if _norm(current.get(k)) != _norm(v)}
        if stale:
            sqs.set_queue_attributes(QueueUrl=url, Attributes=stale)
            report.add(f"sqs:{name}", "updated")
        else:
            report.add(f"sqs:{name}", "unchanged")


def _norm(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _events(ev: Any, sqs: Any, topology: dict[str, Any], region: str, account: str, report: _Report) -> None:
    bus = topology["bus"]["name"]
    try:
        ev.create_event_bus(Name=bus)
        report.add(f"events:bus/{bus}", "created")
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceAlreadyExistsException":
            raise
        report.add(f"events:bus/{bus}", "unchanged")
    bus_arn = ev.describe_event_bus(Name=bus)["Arn"]
    for spec in desired_rules(topology, region, account):
        rule = spec["rule"]
        try:
            current = ev.describe_rule(Name=rule["Name"], EventBusName=bus)
            same = (json.loads(current.get("EventPattern", "{}")) == json.loads(rule["EventPattern"])
                    and current.get("State") == rule["State"])
        except ClientError:
            same = False
        targets = ev.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus).get("Targets", []) if same else []
        wanted = spec["targets"]["Targets"]
        if same and _targets_equal(targets, wanted):
            report.add(f"events:rule/{rule['Name']}", "unchanged")
        else:
            rule_arn = ev.put_rule(**rule)["RuleArn"]
            ev.put_targets(**spec["targets"])
            for target in wanted:
                _allow_rule_to_send(sqs, target["Id"], target["Arn"], rule_arn)
            report.add(f"events:rule/{rule['Name']}", "created" if not same else "updated")
    archive = topology["bus"]["archive"]
    try:
        ev.describe_archive(ArchiveName=archive["name"])
        report.add(f"events:archive/{archive['name']}", "unchanged")
    except ClientError:
        ev.create_archive(ArchiveName=archive["name"], EventSourceArn=bus_arn,
                          RetentionDays=archive["retention_days"],
                          EventPattern=json.dumps({"source": [{"prefix": ""}]}))
        report.add(f"events:archive/{archive['name']}", "created")


def _targets_equal(current: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> bool:
    def key(t: dict[str, Any]) -> tuple[str, str, str]:
        return t["Id"], t["Arn"], t.get("DeadLetterConfig", {}).get("Arn", "")
    return sorted(map(key, current)) == sorted(map(key, wanted))


def _allow_rule_to_send(sqs: Any, queue_name: str, queue_arn: str, rule_arn: str) -> None:
    """The queue policy EventBridge needs on real AWS (LocalStack does not enforce it)."""
    url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "AllowProductshotRule", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
    }]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})


def _table(db: Any, topology: dict[str, Any], key: str, report: _Report) -> None:
    spec = desired_table(topology, key)
    ttl = spec.pop("ttl")
    name = spec["TableName"]
    try:
        db.describe_table(TableName=name)
        report.add(f"dynamodb:{name}", "unchanged")
    except ClientError:
        db.create_table(**spec)
        db.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        report.add(f"dynamodb:{name}", "created")
    current = db.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    enabled = current.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
    if enabled and current.get("AttributeName") == ttl["AttributeName"]:
        report.add(f"dynamodb:{name}/ttl", "unchanged")
    else:
        db.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        report.add(f"dynamodb:{name}/ttl", "updated")


def _bucket(s3: Any, topology: dict[str, Any], region: str, report: _Report) -> None:
    spec = desired_bucket(topology)
    name = spec["Bucket"]
    try:
        s3.head_bucket(Bucket=name)
        existed = True
    except ClientError:
        kwargs: dict[str, Any] = {"Bucket": name}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**kwargs)
        existed = False
    try:
        same = (s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"] == spec["Lifecycle"]["Rules"]
                and s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
                == spec["PublicAccessBlock"])
    except ClientError:
        same = False
    if not same:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=spec["PublicAccessBlock"])
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=spec["Encryption"])
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=spec["Lifecycle"])
    report.add(f"s3:{name}", "unchanged" if existed and same else ("updated" if existed else "created"))


def _parameter(ssm: Any, name: str, value: str, report: _Report) -> None:
    try:
        current = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    except ClientError:
        current = None
    if current == value:
        report.add(f"ssm:{name}", "unchanged")
        return
    ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)
    report.add(f"ssm:{name}", "created" if current is None else "updated")


def bootstrap(api_keys: list[tuple[str, str]], openai_key: str | None) -> int:
    """Create or reconcile everything; returns the number of resources changed."""
    topology = load_topology()
    session = boto3.session.Session()
    region = session.region_name or "us-east-1"
    account = session.client("sts").get_caller_identity()["Account"]
    report = _Report()
    dynamodb = session.client("dynamodb")
    for key in TABLE_KEYS:
        _table(dynamodb, topology, key, report)
    sqs = session.client("sqs")
    _queues(sqs, topology, region, account, report)
    _events(session.client("events"), sqs, topology, region, account, report)
    _bucket(session.client("s3"), topology, region, report)
    ssm = session.client("ssm")
    keys = [{"id": f"{t}-{hash_api_key(k)[:8]}", "tenant": t, "sha256": hash_api_key(k)} for t, k in api_keys]
    _parameter(ssm, topology["ssm"]["api_keys"]["name"], json.dumps(sorted(keys, key=lambda k: k["tenant"])), report)
    if openai_key:
        _parameter(ssm, topology["ssm"]["openai_api_key"]["name"], openai_key, report)
    print(f"bootstrap: {report.changed} changed, {len(report.lines) - report.changed} unchanged", flush=True)
    return report.changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create Productshot's topology on the configured AWS endpoint.")
    # split_key_arg refuses a reserved tenant (default, _anonymous): argparse reports it as a usage error.
    parser.add_argument("--api-key", action="append", default=[], metavar="TENANT:KEY", type=split_key_arg,
                        help="an API key to accept (stored hashed in SSM); repeatable; not for default, _anonymous")
    args = parser.parse_args(argv)
    bootstrap(args.api_key, os.environ.get("OPENAI_API_KEY"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
