"""Configuration secrets read at start-up (API keys, the OpenAI key): the port.

The adapter (adapters/ssm_parameters.py) reads SSM SecureStrings; a parameter that does not
exist raises ``ParameterNotFoundError``, a store that cannot answer ``DependencyUnavailableError``.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Parameters"]


class Parameters(Protocol):
    async def read_secret(self, name: str) -> str:
        """The decrypted value of the parameter ``name``."""
