"""A shop on 127.0.0.1 that measures how politely it is treated: every request's start and
end, and the most requests it ever had in flight at once. It serves product pages and
photos slowly (``delay``), a ``robots.txt`` of the test's choosing, and answers 429 with a
``Retry-After`` to the next requests the test asks it to refuse.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from aiohttp import web

from localdev.sample_site import serve_app
from tests.integration.pages import product_page, product_photo

__all__ = ["PoliteShop", "Visit"]


@dataclass(slots=True)
class Visit:
    path: str
    started: float
    ended: float = 0.0
    status: int = 200
    user_agent: str = ""


@dataclass
class PoliteShop:
    delay: float = 0.5
    robots: str | None = None
    visits: list[Visit] = field(default_factory=list)
    max_in_flight: int = 0
    #: The next this-many page or photo requests are answered 429 with Retry-After ``retry_after``.
    refuse_next: int = 0
    retry_after: int = 3
    base: str = ""
    _in_flight: int = 0
    _photo: bytes = b""
    _runner: web.AppRunner | None = None

    def product_url(self, slug: str, folder: str = "p") -> str:
        return f"{self.base}/{folder}/{slug}"

    def starts(self, *, of: str = "") -> list[float]:
        """Start times of the requests whose path starts with ``of``, in order."""
        return sorted(v.started for v in self.visits if v.path.startswith(of))

    @web.middleware
    async def _measure(self, request: web.Request, handler: web.Handler) -> web.StreamResponse:
        visit = Visit(request.path, time.time(), user_agent=request.headers.get("User-Agent", ""))
        self.visits.append(visit)
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if request.path != "/robots.txt" and self.refuse_next > 0:
                self.refuse_next -= 1
                visit.status = 429
                return web.Response(status=429, headers={"Retry-After": str(self.retry_after)})
            response = await handler(request)
            visit.status = response.status
            return response
        finally:
            self._in_flight -= 1
            visit.ended = time.time()

    async def _page(self, request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(self.delay)
        slug = request.match_info["slug"]
        image = f"{self.base}/img/{slug}.jpg"
        return web.Response(text=product_page(f"Lamp {slug}", "49.00", "USD", image), content_type="text/html")

    async def _image(self, request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(self.delay)
        return web.Response(body=self._photo, content_type="image/jpeg")

    async def _robots(self, request: web.Request) -> web.StreamResponse:
        if self.robots is None:
            raise web.HTTPNotFound()
        return web.Response(text=self.robots, content_type="text/plain")

    async def start(self) -> None:
        self._photo = product_photo(400)
        app = web.Application(middlewares=[self._measure])
        app.router.add_get("/robots.txt", self._robots)
        app.router.add_get("/img/{name}", self._image)
        app.router.add_get("/{folder}/{slug}", self._page)
        self.base, self._runner = await serve_app(app, "127.0.0.1", 0)

    async def close(self) -> None:
        if self._runner:
            await self._runner.cleanup()
