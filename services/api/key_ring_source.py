"""Where the API's key ring comes from, and how a revocation reaches every task without a restart.

Keys come from configuration (``API_KEYS``, fixed for the process) or from the SSM
parameter, which ``KeyRingRefresher`` reads again every ``API_KEYS_REFRESH_SECONDS``: a
revoked, expired-early or new key is in force on every task within that interval plus one
read. A reload that fails (SSM down, a malformed list) keeps the last good ring and logs:
an outage of the parameter store must neither open the API nor lock every caller out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from services.api.auth import ANONYMOUS_TENANT, ApiKeyRing, InvalidKeyConfigError
from services.common.errors import ParameterNotFoundError, ProductshotError
from services.common.logging import get_logger
from services.common.parameters import Parameters

__all__ = ["load_key_ring", "KeyRingRefresher"]

_log = get_logger(__name__)


async def load_key_ring(*, disabled: bool, configured: str, parameters: Parameters, parameter: str) -> ApiKeyRing:
    """Keys from configuration when given, else from SSM; an absent parameter means no key works."""
    if disabled:
        _log.warning("api_auth_disabled", tenant=ANONYMOUS_TENANT, hint="local runs only")
        return ApiKeyRing([], disabled=True)
    if configured.strip():
        ring = ApiKeyRing.from_config(configured)
        _log.info("api_keys_loaded", source="config", count=len(ring))
        return ring
    try:
        value = await parameters.read_secret(parameter)
    except ParameterNotFoundError:
        _log.error("api_keys_missing", parameter=parameter, hint="every /v1 request will get 401")
        return ApiKeyRing([])
    ring = ApiKeyRing.from_json(value)
    _log.info("api_keys_loaded", source="ssm", parameter=parameter, count=len(ring))
    return ring


class KeyRingRefresher:
    """Reads the SSM key list again and again, handing each good ring to ``install``."""

    def __init__(
        self, parameters: Parameters, parameter: str, install: Callable[[ApiKeyRing], None], *, interval: float
    ) -> None:
        self._parameters = parameters
        self._parameter = parameter
        self._install = install
        self._interval = interval

    async def refresh(self) -> bool:
        """One reload: True when a new ring is installed; False (logged) when the last one stays."""
        try:
            ring = ApiKeyRing.from_json(await self._parameters.read_secret(self._parameter))
        except (ProductshotError, InvalidKeyConfigError) as exc:
            # ParameterNotFoundError too: a deleted parameter is more likely a mistake than "revoke all".
            _log.error(
                "api_keys_reload_failed", parameter=self._parameter, error=type(exc).__name__, kept="last good ring"
            )
            return False
        self._install(ring)
        _log.debug("api_keys_reloaded", parameter=self._parameter, count=len(ring))
        return True

    async def run(self) -> None:
        """Refresh every ``interval`` seconds until cancelled (the app's lifespan owns the task)."""
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.refresh()
            except Exception:  # noqa: BLE001 - the loop must outlive any one failed reload
                _log.exception("api_keys_reload_crashed", parameter=self._parameter)
