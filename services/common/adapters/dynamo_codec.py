"""DynamoDB's attribute format and the expressions the job store writes.

Plain values in, typed attributes out (and back); the UpdateExpression / condition pairs
built from field names, with only the names and values the expressions use (DynamoDB
rejects the others).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from services.common.job import Job
from services.common.job_states import JobStatus

__all__ = ["to_attr", "plain_item", "from_item", "status_in", "Update", "build_update"]

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def to_attr(value: Any) -> dict[str, Any]:
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


def plain_item(item: dict[str, Any]) -> dict[str, Any]:
    """A stored item's attributes as plain values (whole numbers as int, others as float)."""
    return {k: _plain(_DESERIALIZER.deserialize(v)) for k, v in item.items()}


def from_item(item: dict[str, Any]) -> Job:
    return Job.from_item(plain_item(item))


def status_in(statuses: list[JobStatus], prefix: str) -> tuple[str, dict[str, Any]]:
    """``#status IN (:p0, :p1 ...)`` and its values, for a condition expression."""
    values = {f":{prefix}{i}": status.value for i, status in enumerate(statuses)}
    return f"#status IN ({', '.join(values)})", values


@dataclass(frozen=True, slots=True)
class Update:
    """The keyword arguments of one conditional UpdateItem (without table and key)."""

    expression: str
    condition: str
    names: dict[str, str]
    values: dict[str, Any]

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "UpdateExpression": self.expression,
            "ConditionExpression": self.condition,
            "ExpressionAttributeNames": self.names,
        }
        if self.values:
            out["ExpressionAttributeValues"] = self.values
        return out


def build_update(*, sets: dict[str, Any], removes: list[str], condition: str, values: dict[str, Any]) -> Update:
    """SET each (dotted) field, REMOVE the others, on an existing item meeting ``condition``."""
    names: dict[str, str] = {"#status": "status"}
    attr_values = {k: to_attr(v) for k, v in values.items()}
    clauses = []
    for i, (field, value) in enumerate(sets.items()):
        path = []
        for j, part in enumerate(field.split(".")):
            names[f"#n{i}_{j}"] = part
            path.append(f"#n{i}_{j}")
        clauses.append(f"{'.'.join(path)} = :v{i}")
        attr_values[f":v{i}"] = to_attr(value)
    expression = "SET " + ", ".join(clauses)
    if removes:
        for r in removes:
            names[f"#r_{r}"] = r
        expression += " REMOVE " + ", ".join(f"#r_{r}" for r in removes)
    full_condition = f"attribute_exists(jobId) AND ({condition})"
    used = expression + " " + full_condition
    return Update(
        expression=expression,
        condition=full_condition,
        names={k: v for k, v in names.items() if k in used},
        values={k: v for k, v in attr_values.items() if k in used},
    )
