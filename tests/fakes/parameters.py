"""The Parameters port in memory."""

from __future__ import annotations

from services.common.errors import ParameterNotFoundError

__all__ = ["InMemoryParameters"]


class InMemoryParameters:
    """``values`` by name; ``reads`` records every name asked for."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.reads: list[str] = []

    async def read_secret(self, name: str) -> str:
        self.reads.append(name)
        if name not in self.values:
            raise ParameterNotFoundError(f"parameter {name}: ParameterNotFound")
        return self.values[name]
