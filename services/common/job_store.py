"""Job persistence: the port the services use and its DynamoDB adapter.

Every state move is one conditional UpdateItem, so a duplicate or late message can never
move a job backwards, finish it twice, or start a second generation (see job_states.py).
"""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from services.common.errors import JobNotFoundError, JobTransitionConflictError, TransientError
from services.common.job import Job, utc_now_iso
from services.common.job_states import LEASED, TERMINAL, JobStatus, predecessors

__all__ = ["JobStore", "DynamoJobStore", "JobPage"]

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
_NON_TERMINAL = [s for s in JobStatus if s not in TERMINAL]
_THROTTLING = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
               "InternalServerError", "ServiceUnavailable", "TransactionConflictException"}


class JobPage:
    """One page of a tenant's jobs, newest first, with an opaque cursor for the next."""

    def __init__(self, jobs: list[Job], cursor: str | None) -> None:
        self.jobs = jobs
        self.cursor = cursor


class JobStore(Protocol):
    async def create(self, job: Job) -> None: ...
    async def get(self, job_id: str) -> Job | None: ...
    async def claim(self, job_id: str, *, attempt: int, to: JobStatus, owner: str, lease_seconds: float) -> Job: ...
    async def extend_lease(self, job_id: str, *, owner: str, lease_seconds: float) -> bool: ...
    async def release_lease(self, job_id: str, *, owner: str) -> bool: ...
    async def pending_event(self, job_id: str) -> str | None: ...
    async def clear_pending_event(self, job_id: str, event: str) -> None: ...
    async def note_redrive(self, job_id: str, *, status: JobStatus, updated_at: str) -> int | None: ...
    async def advance(
        self, job_id: str, *, attempt: int, to: JobStatus, owner: str | None, fields: dict[str, Any] | None = None
    ) -> Job: ...
    async def fail(self, job_id: str, *, stage: str, reason: str, attempt: int | None = None) -> Job | None: ...
    async def reset_for_retry(self, job_id: str, *, tenant: str) -> Job: ...
    async def list_for_tenant(
        self, tenant: str, *, status: str | None, limit: int, cursor: str | None
    ) -> JobPage: ...
    async def find_unfinished(self, *, older_than_epoch: float) -> list[Job]: ...
    async def set_fields(self, job_id: str, fields: dict[str, Any]) -> None: ...
    async def delete_finished(self, job_id: str, *, tenant: str) -> bool: ...


def _to_attr(value: Any) -> dict[str, Any]:
    # DynamoDB has no float: round-trip through JSON with Decimal for every number.
    normalised = json.loads(json.dumps(value), parse_float=Decimal)
    result: dict[str, Any] = _SERIALIZER.serialize(normalised)
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set | tuple):
        return [_plain(v) for v in value]
    return value


def _status_in(statuses: list[JobStatus], prefix: str) -> tuple[str, dict[str, Any]]:
    """``#status IN (:p0, :p1 ...)`` and its values, for a condition expression."""
    values = {f":{prefix}{i}": status.value for i, status in enumerate(statuses)}
    return f"#status IN ({', '.join(values)})", values


def _from_item(item: dict[str, Any]) -> Job:
    return Job.from_item({k: _plain(_DESERIALIZER.deserialize(v)) for k, v in item.items()})


class DynamoJobStore:
    """The JobStore adapter on a DynamoDB table (aiobotocore client passed in)."""

    def __init__(self, dynamodb: Any, table: str, *, tenant_index: str = "tenant-createdAt",
                 status_index: str = "status-createdAt") -> None:
        self._db = dynamodb
        self._table = table
        self._tenant_index = tenant_index
        self._status_index = status_index

    async def _call(self, op: str, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = await getattr(self._db, op)(TableName=self._table, **kwargs)
            return result
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _THROTTLING:
                raise TransientError(f"job store unavailable ({code})") from exc
            raise

    async def create(self, job: Job) -> None:
        item = {k: _to_attr(v) for k, v in job.to_item().items()}
        await self._call("put_item", Item=item, ConditionExpression="attribute_not_exists(jobId)")

    async def get(self, job_id: str) -> Job | None:
        result = await self._call("get_item", Key={"jobId": {"S": job_id}}, ConsistentRead=True)
        item = result.get("Item")
        return _from_item(item) if item else None

    async def _update(self, job_id: str, wanted: JobStatus | str, *, sets: dict[str, Any],
                      removes: list[str], condition: str, values: dict[str, Any]) -> Job:
        names: dict[str, str] = {"#status": "status"}
        attr_values = {k: _to_attr(v) for k, v in values.items()}
        clauses = []
        for i, (field, value) in enumerate(sets.items()):
            path = []
            for j, part in enumerate(field.split(".")):
                names[f"#n{i}_{j}"] = part
                path.append(f"#n{i}_{j}")
            clauses.append(f"{'.'.join(path)} = :v{i}")
            attr_values[f":v{i}"] = _to_attr(value)
        expression = "SET " + ", ".join(clauses)
        if removes:
            for r in removes:
                names[f"#r_{r}"] = r
            expression += " REMOVE " + ", ".join(f"#r_{r}" for r in removes)
        full_condition = f"attribute_exists(jobId) AND ({condition})"
        # DynamoDB rejects names and values that the expressions do not use.
        used = expression + " " + full_condition
        names = {k: v for k, v in names.items() if k in used}
        attr_values = {k: v for k, v in attr_values.items() if k in used}
        try:
            result = await self._call(
                "update_item",
                Key={"jobId": {"S": job_id}},
                UpdateExpression=expression,
                ConditionExpression=full_condition,
                ExpressionAttributeNames=names,
                **({"ExpressionAttributeValues": attr_values} if attr_values else {}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            current = await self.get(job_id)
            if current is None:
                raise JobNotFoundError(f"job {job_id} does not exist (expired or never created)") from exc
            conflict = JobTransitionConflictError(job_id, str(wanted), current.status.value)
            conflict.job = current  # type: ignore[attr-defined]
            raise conflict from exc
        return _from_item(result["Attributes"])

    def _entered(self, to: JobStatus, now_iso: str) -> dict[str, Any]:
        return {"status": to.value, "updatedAt": now_iso, f"timestamps.{to.value}": now_iso}

    async def claim(self, job_id: str, *, attempt: int, to: JobStatus, owner: str, lease_seconds: float) -> Job:
        """Move into a leased state, or take over that state when its lease has expired."""
        if to not in LEASED:
            raise ValueError(f"{to} is not a leased state")
        now = time.time()
        from_preds, values = _status_in(sorted(predecessors(to) - {JobStatus.FAILED}), "p")
        values.update({":attempt": attempt, ":to": to.value, ":now": now})
        condition = (f"attempt = :attempt AND ({from_preds} OR "
                     f"(#status = :to AND leaseExpiresAt < :now))")
        sets = self._entered(to, utc_now_iso()) | {"leaseOwner": owner, "leaseExpiresAt": now + lease_seconds}
        return await self._update(job_id, to, sets=sets, removes=[], condition=condition, values=values)

    async def extend_lease(self, job_id: str, *, owner: str, lease_seconds: float) -> bool:
        try:
            await self._update(
                job_id, "lease", sets={"leaseExpiresAt": time.time() + lease_seconds},
                removes=[], condition="leaseOwner = :owner", values={":owner": owner},
            )
        except (JobTransitionConflictError, JobNotFoundError):
            return False
        return True

    async def release_lease(self, job_id: str, *, owner: str) -> bool:
        """Give the job up for a retry (by any worker) right away, instead of at lease expiry."""
        try:
            await self._update(job_id, "lease", sets={"leaseExpiresAt": 0}, removes=[],
                               condition="leaseOwner = :owner", values={":owner": owner})
        except (JobTransitionConflictError, JobNotFoundError):
            return False
        return True

    async def pending_event(self, job_id: str) -> str | None:
        """The event a worker wrote the job's state for but has not confirmed published (outbox)."""
        result = await self._call("get_item", Key={"jobId": {"S": job_id}}, ConsistentRead=True,
                                  ProjectionExpression="pendingEvent")
        value = result.get("Item", {}).get("pendingEvent", {}).get("S")
        return str(value) if value else None

    async def clear_pending_event(self, job_id: str, event: str) -> None:
        """The event left: a duplicate message need not publish it again."""
        try:
            await self._call("update_item", Key={"jobId": {"S": job_id}}, UpdateExpression="REMOVE pendingEvent",
                             ConditionExpression="pendingEvent = :e", ExpressionAttributeValues={":e": {"S": event}})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    async def note_redrive(self, job_id: str, *, status: JobStatus, updated_at: str) -> int | None:
        """Count a sweeper re-drive; None when the job moved meanwhile (someone else acted)."""
        try:
            result = await self._call(
                "update_item", Key={"jobId": {"S": job_id}},
                UpdateExpression="SET redrives = if_not_exists(redrives, :zero) + :one, updatedAt = :now",
                ConditionExpression="#status = :s AND updatedAt = :u",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":zero": {"N": "0"}, ":one": {"N": "1"}, ":now": {"S": utc_now_iso()},
                                           ":s": {"S": status.value}, ":u": {"S": updated_at}},
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None
            raise
        return int(result["Attributes"]["redrives"]["N"])

    async def advance(self, job_id: str, *, attempt: int, to: JobStatus, owner: str | None,
                      fields: dict[str, Any] | None = None) -> Job:
        """Move forward out of the state this worker holds (``owner``) or from a predecessor."""
        from_preds, values = _status_in(sorted(predecessors(to) - {JobStatus.FAILED}), "p")
        values[":attempt"] = attempt
        condition = f"attempt = :attempt AND {from_preds}"
        if owner is not None:
            condition += " AND leaseOwner = :owner"
            values[":owner"] = owner
        sets = self._entered(to, utc_now_iso()) | dict(fields or {})
        return await self._update(job_id, to, sets=sets, removes=["leaseOwner", "leaseExpiresAt"],
                                  condition=condition, values=values)

    async def fail(self, job_id: str, *, stage: str, reason: str, attempt: int | None = None) -> Job | None:
        """Fail a job that is not finished yet; None when it already was (or is another attempt's)."""
        condition, values = _status_in(_NON_TERMINAL, "s")
        if attempt is not None:
            condition += " AND attempt = :attempt"
            values[":attempt"] = attempt
        sets = self._entered(JobStatus.FAILED, utc_now_iso()) | {"error": {"stage": stage, "reason": reason}}
        try:
            return await self._update(job_id, JobStatus.FAILED, sets=sets, removes=["leaseOwner", "leaseExpiresAt"],
                                      condition=condition, values=values)
        except (JobTransitionConflictError, JobNotFoundError):
            return None

    async def reset_for_retry(self, job_id: str, *, tenant: str) -> Job:
        """failed -> pending with a new attempt number (the only move out of ``failed``).

        One conditional write on the attempt just read: a late message of the old attempt can
        never see the job pending under its own attempt number.
        """
        current = await self.get(job_id)
        if current is None:
            raise JobNotFoundError(f"job {job_id} does not exist (expired or never created)")
        now = utc_now_iso()
        sets = {"status": JobStatus.PENDING.value, "updatedAt": now, "timestamps": {"pending": now}, "images": [],
                "attempt": current.attempt + 1}
        return await self._update(
            job_id, JobStatus.PENDING, sets=sets, removes=["error", "qa", "leaseOwner", "leaseExpiresAt"],
            condition="#status = :failed AND tenant = :tenant AND attempt = :a",
            values={":failed": JobStatus.FAILED.value, ":tenant": tenant, ":a": current.attempt},
        )

    async def set_fields(self, job_id: str, fields: dict[str, Any]) -> None:
        await self._update(job_id, "fields", sets=dict(fields), removes=[], condition="attribute_exists(jobId)",
                           values={})

    async def list_for_tenant(self, tenant: str, *, status: str | None, limit: int, cursor: str | None) -> JobPage:
        kwargs: dict[str, Any] = {
            "IndexName": self._tenant_index,
            "KeyConditionExpression": "tenant = :t",
            "ExpressionAttributeValues": {":t": {"S": tenant}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if status:
            kwargs["FilterExpression"] = "#status = :s"
            kwargs["ExpressionAttributeNames"] = {"#status": "status"}
            kwargs["ExpressionAttributeValues"][":s"] = {"S": status}
        if cursor:
            kwargs["ExclusiveStartKey"] = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        result = await self._call("query", **kwargs)
        jobs = [_from_item(i) for i in result.get("Items", [])]
        last = result.get("LastEvaluatedKey")
        next_cursor = base64.urlsafe_b64encode(json.dumps(last).encode()).decode() if last else None
        return JobPage(jobs, next_cursor)

    async def find_unfinished(self, *, older_than_epoch: float) -> list[Job]:
        """Jobs in any non-terminal status last updated before ``older_than_epoch``."""
        cutoff = datetime.fromtimestamp(older_than_epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        found: list[Job] = []
        for status in _NON_TERMINAL:
            start: dict[str, Any] | None = None
            while True:
                kwargs: dict[str, Any] = {
                    "IndexName": self._status_index,
                    "KeyConditionExpression": "#status = :s AND createdAt < :c",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {":s": {"S": status.value}, ":c": {"S": cutoff}},
                }
                if start:
                    kwargs["ExclusiveStartKey"] = start
                result = await self._call("query", **kwargs)
                for key in result.get("Items", []):
                    job = await self.get(key["jobId"]["S"])
                    if job and job.status == status and job.updatedAt < cutoff:
                        found.append(job)
                start = result.get("LastEvaluatedKey")
                if not start:
                    break
        return found

    async def delete_finished(self, job_id: str, *, tenant: str) -> bool:
        """Remove a completed or failed job of ``tenant``; False when it is not (or no longer) one."""
        try:
            await self._call(
                "delete_item", Key={"jobId": {"S": job_id}},
                ConditionExpression="tenant = :t AND #status IN (:c, :f)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":t": {"S": tenant}, ":c": {"S": JobStatus.COMPLETED.value},
                                           ":f": {"S": JobStatus.FAILED.value}},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            return False
        return True
