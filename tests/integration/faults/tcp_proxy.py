"""A TCP proxy of the tests' own between the services and the local AWS, to cut it off.

Modes:
- ``pass``: bytes flow both ways.
- ``refuse``: nothing listens any more (connection refused) and open connections are reset.
- ``stall``: connections are accepted but nothing flows; open ones freeze mid-request.
  Leaving ``stall`` resets what froze, as a network that came back would after timeouts.

It runs its own event loop in a thread, so the test code may block while it works.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Literal

__all__ = ["TcpProxy", "Mode"]

Mode = Literal["pass", "refuse", "stall"]
_CHUNK = 65536


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int, listen_port: int = 0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = listen_port
        self.mode: Mode = "pass"
        self.connections_total = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._open: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> TcpProxy:
        self._thread.start()
        self._call(self._listen())
        self._call(self._set_flowing(True))
        return self

    def set_mode(self, mode: Mode) -> None:
        self._call(self._switch(mode))

    def close(self) -> None:
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _call(self, coro: object) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)  # type: ignore[arg-type]

    async def _set_flowing(self, on: bool) -> None:
        if on:
            self._flowing.set()
        else:
            self._flowing.clear()

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True
            )
            self.port = self._server.sockets[0].getsockname()[1]

    async def _switch(self, mode: Mode) -> None:
        previous, self.mode = self.mode, mode
        if mode == "refuse":
            self._flowing.clear()
            if self._server is not None:
                self._server.close()
                self._server = None
            self._reset_all()
        elif mode == "stall":
            self._flowing.clear()
            await self._listen()
        else:
            if previous == "stall":
                self._reset_all()
            await self._listen()
            self._flowing.set()

    def _reset_all(self) -> None:
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections_total += 1
        self._open.add(writer)
        try:
            await self._flowing.wait()  # a stalled proxy holds new connections here
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            self._open.discard(writer)
            return
        self._open.add(up_writer)
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        for w in (writer, up_writer):
            self._open.discard(w)
            with contextlib.suppress(Exception):
                w.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(_CHUNK):
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
        finally:
            with contextlib.suppress(Exception):
                writer.write_eof()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._reset_all()
