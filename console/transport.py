"""How the console reaches the provider and the API: in-process over ASGI by default (no network
hop, the same middleware and endpoints a remote client meets), or over the network when
``PORTAL_CONSOLE_API_URL`` points elsewhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

TIMEOUT = httpx.Timeout(10.0)


def in_process_client(app: ASGIApp, state: Mapping[str, Any], base_url: str) -> httpx.AsyncClient:
    """Requests to ``app`` itself. The lifespan's state is handed to each request, as uvicorn
    does for requests from the network."""

    async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, "state": dict(state)}, receive, send)

    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=with_state), base_url=base_url, timeout=TIMEOUT
    )


def network_client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, follow_redirects=False)
