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
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn exited before it started")
        await asyncio.sleep(0.01)
    url = base_url or settings.public_url
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        try:
            yield LiveServer(url, services, settings, client)
        finally:
            server.should_exit = True
            await task


def test_public_url() -> str:
    return f"http://127.0.0.1:{free_port()}"
