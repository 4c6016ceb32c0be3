"""The Parameters port on SSM Parameter Store (SecureStrings, decrypted)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.common.adapters.aws_errors import translated
from services.common.errors import ParameterNotFoundError

if TYPE_CHECKING:
    from types_aiobotocore_ssm.client import SSMClient

__all__ = ["SsmParameters"]

_MISSING = {"ParameterNotFound": ParameterNotFoundError}


class SsmParameters:
    def __init__(self, ssm: SSMClient) -> None:
        self._ssm = ssm

    async def read_secret(self, name: str) -> str:
        with translated(f"parameter {name}", _MISSING):
            result = await self._ssm.get_parameter(Name=name, WithDecryption=True)
        return str(result["Parameter"].get("Value", ""))
