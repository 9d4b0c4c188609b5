"""A real HTTP server for a test: uvicorn serving create_app() on a free loopback port, in the
test's own event loop, with the app's lifespan (and so its outbox worker) running."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from kit.tls import client_context
from runtime import Services
from server import create_app
from settings import Settings
from tests.support.smtp import free_port


@dataclass
class LiveServer:
    url: str
    services: Services
    settings: Settings
    client: httpx.AsyncClient

    async def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


class _Server(uvicorn.Server):
    """uvicorn's server, stopped as soon as it is told: its own main loop looks at
    ``should_exit`` every 0.1 s, which cost each test half of that on average."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.stopping = asyncio.Event()

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), 0.1)

    def stop(self) -> None:
        self.should_exit = True
        self.stopping.set()

    async def shutdown(self, sockets: list[Any] | None = None) -> None:
        """uvicorn's shutdown, step for step, polled every 5 ms: its own sleeps 0.1 s before it
        looks and then polls in steps of 0.1 s."""
        for listener in self.servers:
            listener.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                # uvicorn keeps no event to wait on for these: its own loop polls them too.
                while self.server_state.connections or self.server_state.tasks:  # noqa: ASYNC110
                    await asyncio.sleep(0.005)
        except TimeoutError:
            for task in self.server_state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        for listener in self.servers:
            await listener.wait_closed()
        await self.lifespan.shutdown()


@contextlib.asynccontextmanager
async def serve(
    settings: Settings, services: Services, *, base_url: str | None = None
) -> AsyncIterator[LiveServer]:
    """Serve on the public URL's port; ``base_url`` reaches it when the public URL is https
    (a TLS proxy in production): the tests then talk plain http to 127.0.0.1."""
    port = int(settings.public_url.rsplit(":", 1)[1])
    config = uvicorn.Config(
        create_app(settings, services),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = _Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn exited before it started")
        await asyncio.sleep(0.01)
    url = base_url or settings.public_url
    async with httpx.AsyncClient(base_url=url, timeout=30, verify=client_context()) as client:
        try:
            yield LiveServer(url, services, settings, client)
        finally:
            server.stop()
            await task


def test_public_url() -> str:
    return f"http://127.0.0.1:{free_port()}"
