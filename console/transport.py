"""How the console reaches the provider and the API: in-process over ASGI by default (no network
hop, the same middleware and endpoints a remote client meets), or over the network when
``PORTAL_CONSOLE_API_URL`` points elsewhere."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kit.tls import client_context

TIMEOUT = httpx.Timeout(10.0)
# What the API must see of the person's own request: the audit log and the limits key on the
# client address (and the user agent), not on the console's loopback connection.
PEER_HEADERS = (b"x-forwarded-for", b"user-agent", b"x-request-id")


@dataclass(frozen=True)
class Peer:
    client: tuple[str, int] | None
    headers: tuple[tuple[bytes, bytes], ...]


PEER: ContextVar[Peer | None] = ContextVar("console_peer", default=None)


def remember_peer(request: Request) -> None:
    """Called at the start of each console request; its in-process calls carry this peer."""
    client = request.scope.get("client")
    headers = tuple((k, v) for k, v in request.scope["headers"] if k in PEER_HEADERS)
    PEER.set(Peer(client=tuple(client) if client else None, headers=headers))


def in_process_client(app: ASGIApp, state: Mapping[str, Any], base_url: str) -> httpx.AsyncClient:
    """Requests to ``app`` itself. The lifespan's state is handed to each request, as uvicorn
    does for requests from the network, and so are the person's address and user agent: the
    request is judged (trusted proxies included) exactly as the browser's own. Only in-process
    requests pass here, so nobody on the network can claim another address this way."""

    async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
        scope = {**scope, "state": dict(state)}
        peer = PEER.get()
        if peer is not None:
            kept = [(k, v) for k, v in scope["headers"] if k not in PEER_HEADERS]
            scope["headers"] = kept + list(peer.headers)
            scope["client"] = peer.client
        await app(scope, receive, send)

    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=with_state), base_url=base_url, timeout=TIMEOUT
    )


def network_client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url, timeout=TIMEOUT, follow_redirects=False, verify=client_context()
    )
