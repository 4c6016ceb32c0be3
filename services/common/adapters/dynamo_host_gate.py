"""The HostGate port on the jobs table: one item ``limit#host#<host>`` per shop host.

The item holds ``slot<i>`` (the lease end of each held in-flight slot, also its owner's
token), ``lastStart`` (when the last request there started) and ``backOffUntil``. Taking a
slot is one conditional UpdateItem (the slot free or its lease over, the last start at
least the interval ago, no back-off); when the condition fails DynamoDB returns the item
(``ReturnValuesOnConditionCheckFailure``), so the refusal costs no extra read and either
names the wait or the free slot to try next. Giving it back is one more conditional
UpdateItem. An uncontended fetch therefore costs two writes. The item expires (table TTL on
``expiresAt``) a day after the host's last request; no index key is set.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from services.common.adapters.aws_errors import translated
from services.common.errors import StoreConditionFailedError
from services.common.host_gate import HostLimits, HostState, SlotGrant, SlotRefusal, next_turn

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = ["DynamoHostGate"]

_KEEP_SECONDS = 86_400
_TRIES = 3  # slot races lost in a row before the request waits a poll like any refusal
_WHAT = "host politeness"
_REFUSED = {"ConditionalCheckFailedException": StoreConditionFailedError}


def _key(host: str) -> dict[str, Any]:
    return {"jobId": {"S": f"limit#host#{host}"}}


def _state(item: dict[str, Any]) -> HostState:
    state = HostState()
    for name, value in item.items():
        if name.startswith("slot") and name[4:].isdigit():
            state.slots[int(name[4:])] = float(value["N"])
    if "lastStart" in item:
        state.last_start = float(item["lastStart"]["N"])
    if "backOffUntil" in item:
        state.back_off_until = float(item["backOffUntil"]["N"])
    return state


class DynamoHostGate:
    def __init__(self, dynamodb: DynamoDBClient, table: str) -> None:
        self._db = dynamodb
        self._table = table

    async def acquire(
        self, host: str, limits: HostLimits, *, now: float, lease_seconds: float
    ) -> SlotGrant | SlotRefusal:
        slot = random.randrange(limits.max_in_flight)  # a guess: the refusal tells us the truth
        for _ in range(_TRIES):
            token = round(now + lease_seconds + random.random() / 1000, 6)
            old = await self._take(host, slot, token, limits, now)
            if old is None:
                return SlotGrant(host, slot, token)
            turn = next_turn(_state(old), limits, now)
            if isinstance(turn, SlotRefusal):
                return turn
            slot = turn
        return SlotRefusal(min(limits.min_interval, 0.5))

    async def _take(
        self, host: str, slot: int, token: float, limits: HostLimits, now: float
    ) -> dict[str, Any] | None:
        """None when the slot was taken; else the item as the refused condition saw it."""
        try:
            with translated(_WHAT, _REFUSED):
                await self._db.update_item(
                    TableName=self._table,
                    Key=_key(host),
                    UpdateExpression="SET #slot = :token, lastStart = :now, expiresAt = :exp",
                    ConditionExpression="(attribute_not_exists(#slot) OR #slot <= :now)"
                    " AND (attribute_not_exists(lastStart) OR lastStart <= :since)"
                    " AND (attribute_not_exists(backOffUntil) OR backOffUntil <= :now)",
                    ExpressionAttributeNames={"#slot": f"slot{slot}"},
                    ExpressionAttributeValues={
                        ":token": {"N": repr(token)},
                        ":now": {"N": repr(now)},
                        ":since": {"N": repr(now - limits.min_interval)},
                        ":exp": {"N": str(int(now) + _KEEP_SECONDS)},
                    },
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
        except StoreConditionFailedError as refused:
            cause = refused.__cause__
            found = cause.response.get("Item") if isinstance(cause, ClientError) else None
            return found if isinstance(found, dict) else {}
        return None

    async def release(self, grant: SlotGrant) -> None:
        try:
            with translated(_WHAT, _REFUSED):
                await self._db.update_item(
                    TableName=self._table,
                    Key=_key(grant.host),
                    UpdateExpression="REMOVE #slot",
                    ConditionExpression="#slot = :token",
                    ExpressionAttributeNames={"#slot": f"slot{grant.slot}"},
                    ExpressionAttributeValues={":token": {"N": repr(grant.token)}},
                )
        except StoreConditionFailedError:  # the lease ended and another task holds the slot now: theirs
            pass

    async def back_off(self, host: str, *, until: float) -> None:
        try:
            with translated(_WHAT, _REFUSED):
                await self._db.update_item(
                    TableName=self._table,
                    Key=_key(host),
                    UpdateExpression="SET backOffUntil = :until, expiresAt = :exp",
                    ConditionExpression="attribute_not_exists(backOffUntil) OR backOffUntil < :until",
                    ExpressionAttributeValues={
                        ":until": {"N": repr(until)},
                        ":exp": {"N": str(int(until) + _KEEP_SECONDS)},
                    },
                )
        except StoreConditionFailedError:  # a later back-off is already recorded: it stands
            pass
