"""A TCP proxy that fails on command: the chaos harness between the portal and PostgreSQL, Redis
or SMTP, in the test's own event loop.

Modes (``await proxy.set_mode(...)``), each applied to new *and* open connections:

* ``pass`` — bytes flow both ways;
* ``refuse`` — the port is closed (connecting is refused) and open connections are reset;
* ``reset`` — connections are accepted and reset at once (RST); open ones are reset too;
* ``blackhole`` — connections are accepted, bytes are read and dropped, nothing ever comes back
  (a partition, a failover in progress, a server stuck on a full disk). Nothing is closed.

``proxy.url(original)`` rewrites a database, Redis or SMTP URL to go through the proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

Mode = Literal["pass", "refuse", "reset", "blackhole"]


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with an RST instead of a FIN (linger 0), as a crashed peer or a firewall does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def reset(self) -> None:
        _reset(self.client)
        if self.upstream is not None:
            _reset(self.upstream)
        for task in self.tasks:
            task.cancel()


class FaultProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode: Mode = "pass"
        self.port = 0
        self.accepted = 0
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        await self._close_server()
        for link in list(self._links):
            link.reset()
        self._links.clear()

    async def _close_server(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def set_mode(self, mode: Mode) -> None:
        previous, self.mode = self.mode, mode
        if mode in ("refuse", "reset"):
            for link in list(self._links):
                link.reset()
            self._links.clear()
        if mode == "refuse":
            await self._close_server()
        elif previous == "refuse":
            await self.start()  # the same port again

    def url(self, original: str) -> str:
        """``original`` with its host and port replaced by the proxy's."""
        parts = urlsplit(original)
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@127.0.0.1:{self.port}" if userinfo else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        link = _Link(client=writer)
        if self.mode == "reset":
            _reset(writer)
            return
        self._links.add(link)
        try:
            if self.mode == "blackhole":
                await self._drain(reader)
                return
            try:
                up_reader, up_writer = await asyncio.open_connection(*self.target)
            except OSError:
                _reset(writer)
                return
            link.upstream = up_writer
            link.tasks = [
                asyncio.create_task(self._pump(reader, up_writer)),
                asyncio.create_task(self._pump(up_reader, writer)),
            ]
            await asyncio.gather(*link.tasks, return_exceptions=True)
        finally:
            self._links.discard(link)
            for w in (writer, link.upstream):
                if w is not None:
                    w.close()

    @staticmethod
    async def _drain(reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(OSError):
            while await reader.read(65536):
                pass

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.mode == "blackhole":
                    continue  # swallowed: the other side hears nothing, ever
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            if self.mode == "pass":
                with contextlib.suppress(OSError):
                    writer.write_eof()


@contextlib.asynccontextmanager
async def fault_proxy(url: str, default_port: int) -> AsyncIterator[FaultProxy]:
    """A started proxy in front of the host and port of ``url``."""
    parts = urlsplit(url)
    proxy = FaultProxy(parts.hostname or "127.0.0.1", parts.port or default_port)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.stop()
