"""An OpenAI-compatible image server on 127.0.0.1, for tests and local runs.

``server.py`` is the server (``async with ImageAPIServer() as server: ...``);
``__main__.py`` its command line (``python -m localdev.image_api --port 8100``).
"""

from __future__ import annotations

from localdev.image_api.server import Faults, FaultSpec, ImageAPIServer

__all__ = ["FaultSpec", "Faults", "ImageAPIServer"]
