"""The JobStore port on a DynamoDB table (aiobotocore client passed in).

Every state move is one conditional UpdateItem, so a duplicate or late message can never
move a job backwards, finish it twice, or start a second generation (see job_states.py).
A refused condition becomes ``JobTransitionConflictError`` (carrying the job as it is) or
``JobNotFoundError``; any other failure ``DependencyUnavailableError``.
"""

from __future__ import annotations

import base64
import json
import time
from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.adapters.dynamo_codec import build_update, from_item, status_in, to_attr
from services.common.errors import (
    JobIdTakenError,
    JobNotFoundError,
    JobTransitionConflictError,
    StoreConditionFailedError,
)
from services.common.job import Job, iso_at, utc_now_iso
from services.common.job_states import LEASED, TERMINAL, JobStatus, advance_sources, predecessors
from services.common.job_store import RETRY_REMOVES, JobPage, retry_fields

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = ["DynamoJobStore"]

_NON_TERMINAL = [s for s in JobStatus if s not in TERMINAL]
_CONDITION = {"ConditionalCheckFailedException": StoreConditionFailedError}


class DynamoJobStore:
    """The JobStore adapter on a DynamoDB table."""

    def __init__(self, dynamodb: DynamoDBClient, table: str, *, tenant_index: str = "tenant-createdAt",
                 status_index: str = "status-createdAt") -> None:
        self._db = dynamodb
        self._table = table
        self._tenant_index = tenant_index
        self._status_index = status_index

    async def check(self) -> None:
        with translated("job store"):
            await self._db.describe_table(TableName=self._table)

    async def _call(self, op: str, *, conditional: bool = True, **kwargs: Any) -> dict[str, Any]:
        with translated("job store", _CONDITION if conditional else None):
            result: dict[str, Any] = await getattr(self._db, op)(TableName=self._table, **kwargs)
        return result

    async def create(self, job: Job) -> None:
        item = {k: to_attr(v) for k, v in job.to_item().items()}
        # A taken id stays a store failure (transient), of its own type: a batch row's fixed id may
        # be started twice at once, and its starter tells that apart (services/batcher/job_starter.py).
        with translated("job store", {"ConditionalCheckFailedException": JobIdTakenError}):
            await self._db.put_item(TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(jobId)")

    async def get(self, job_id: str) -> Job | None:
        result = await self._call("get_item", Key={"jobId": {"S": job_id}}, ConsistentRead=True)
        item = result.get("Item")
        return from_item(item) if item else None

    async def _update(self, job_id: str, wanted: JobStatus | str, *, sets: dict[str, Any],
                      removes: list[str], condition: str, values: dict[str, Any]) -> Job:
        update = build_update(sets=sets, removes=removes, condition=condition, values=values)
        try:
            result = await self._call("update_item", Key={"jobId": {"S": job_id}}, ReturnValues="ALL_NEW",
                                      **update.kwargs())
        except StoreConditionFailedError as exc:
            current = await self.get(job_id)
            if current is None:
                raise JobNotFoundError(f"job {job_id} does not exist (expired or never created)") from exc
            raise JobTransitionConflictError(current, str(wanted)) from exc
        return from_item(result["Attributes"])

    def _entered(self, to: JobStatus, now_iso: str) -> dict[str, Any]:
        return {"status": to.value, "updatedAt": now_iso, f"timestamps.{to.value}": now_iso}

    async def claim(self, job_id: str, *, attempt: int, to: JobStatus, owner: str, lease_seconds: float) -> Job:
        """Move into a leased state, or take over that state when its lease has expired."""
        if to not in LEASED:
            raise ValueError(f"{to} is not a leased state")
        now = time.time()
        from_preds, values = status_in(sorted(predecessors(to) - {JobStatus.FAILED}), "p")
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
        except StoreConditionFailedError:
            pass

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
        except StoreConditionFailedError:
            return None
        return int(result["Attributes"]["redrives"]["N"])

    async def advance(self, job_id: str, *, attempt: int, to: JobStatus, owner: str | None,
                      fields: dict[str, Any] | None = None, from_: JobStatus | None = None) -> Job:
        """Move forward out of the state this worker holds (``owner``) or from a predecessor
        (only from ``from_`` when given)."""
        from_preds, values = status_in(sorted(advance_sources(to, from_)), "p")
        values[":attempt"] = attempt
        condition = f"attempt = :attempt AND {from_preds}"
        if owner is not None:
            condition += " AND leaseOwner = :owner"
            values[":owner"] = owner
        sets = self._entered(to, utc_now_iso()) | dict(fields or {})
        return await self._update(job_id, to, sets=sets, removes=["leaseOwner", "leaseExpiresAt"],
                                  condition=condition, values=values)

    async def fail(
        self, job_id: str, *, stage: str, reason: str, code: str, attempt: int | None = None
    ) -> Job | None:
        """Fail a job that is not finished yet; None when it already was (or is another attempt's)."""
        condition, values = status_in(_NON_TERMINAL, "s")
        if attempt is not None:
            condition += " AND attempt = :attempt"
            values[":attempt"] = attempt
        error = {"stage": stage, "reason": reason, "code": code}
        sets = self._entered(JobStatus.FAILED, utc_now_iso()) | {"error": error}
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
        sets = retry_fields(current, utc_now_iso())
        return await self._update(
            job_id, JobStatus.PENDING, sets=sets, removes=list(RETRY_REMOVES),
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
        jobs = [from_item(i) for i in result.get("Items", [])]
        last = result.get("LastEvaluatedKey")
        next_cursor = base64.urlsafe_b64encode(json.dumps(last).encode()).decode() if last else None
        return JobPage(jobs, next_cursor)

    async def count_unfinished_for_tenant(self, tenant: str, *, created_after: str, at_most: int) -> int:
        condition, values = status_in(_NON_TERMINAL, "s")
        kwargs: dict[str, Any] = {
            "IndexName": self._tenant_index,
            "KeyConditionExpression": "tenant = :t AND createdAt > :c",
            "FilterExpression": condition,
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":t": {"S": tenant}, ":c": {"S": created_after}}
            | {name: {"S": value} for name, value in values.items()},
            "Select": "COUNT",
        }
        count = 0
        while True:  # pages of up to 1 MB read: the filter counts, the read is of every recent job
            result = await self._call("query", **kwargs)
            count += int(result.get("Count", 0))
            if count >= at_most or "LastEvaluatedKey" not in result:
                return count
            kwargs["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    async def find_unfinished(self, *, older_than_epoch: float) -> list[Job]:
        """Jobs in any non-terminal status last updated before ``older_than_epoch``."""
        cutoff = iso_at(older_than_epoch)
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
        except StoreConditionFailedError:
            return False
        return True
