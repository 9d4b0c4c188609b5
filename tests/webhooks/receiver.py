"""A real webhook receiver on loopback for the tests: uvicorn serving a tiny ASGI app in the test's
event loop (or its own thread), verifying every request with ``standardwebhooks``.

It behaves like a careful production receiver: it verifies the signature against the secrets it
knows, processes each ``webhook-id`` once (idempotent), and answers 2xx for one it has already
processed. ``script`` makes it misbehave for the next requests: ``500``, ``hang`` (answers only after
``hang_seconds``, and processes nothing), ``redirect``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tests.support.smtp import free_port


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified_with: list[str]  # the secrets whose signature was found
    peer_port: int | None = None  # the sender's end of the connection

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    secrets: list[str] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    processed: dict[str, Any] = field(default_factory=dict)  # webhook-id -> payload, once
    duplicates: int = 0
    unverified: int = 0
    script: list[str] = field(default_factory=list)
    hang_seconds: float = 30.0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    # Set as soon as a request comes in, before any answer.
    arrived_request: asyncio.Event = field(default_factory=asyncio.Event)
    # Called with each request as it arrives, its connection still open (e.g. to see who sent it).
    on_request: Callable[[Received], None] | None = None

    def verify(self, headers: dict[str, str], body: bytes) -> list[str]:
        ok = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            ok.append(secret)
        return ok

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        verified = self.verify(headers, body)
        client = scope.get("client")
        received = Received(headers, body, verified, client[1] if client else None)
        self.requests.append(received)
        if self.on_request is not None:
            self.on_request(received)
        self.arrived_request.set()
        mode = self.script.pop(0) if self.script else "ok"
        status, extra = 200, []
        if mode == "hang":
            # Answers late, if at all, and without doing the work (the sender gave up anyway).
            await asyncio.sleep(self.hang_seconds)
            status = 504
        elif mode == "500":
            status = 500
        elif mode == "redirect":
            status, extra = 307, [(b"location", b"http://127.0.0.1:9/elsewhere")]
        elif not verified:
            self.unverified += 1
            status = 401
        elif headers["webhook-id"] in self.processed:
            self.duplicates += 1
        else:
            self.processed[headers["webhook-id"]] = json.loads(body)
        self.arrived.set()
        await send({"type": "http.response.start", "status": status, "headers": extra})
        await send({"type": "http.response.body", "body": b"ok"})

    async def wait_for(self, count: int, within: float = 30.0) -> None:
        """Until ``count`` distinct webhook-ids are processed."""
        async with asyncio.timeout(within):
            while len(self.processed) < count:
                self.arrived.clear()
                await self.arrived.wait()


@contextlib.asynccontextmanager
async def running_receiver(path: str = "/hook") -> AsyncIterator[Receiver]:
    receiver = Receiver()
    port = free_port()
    config = uvicorn.Config(
        receiver.app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        interface="asgi3",
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    receiver.url = f"http://127.0.0.1:{port}{path}"
    try:
        yield receiver
    finally:
        server.should_exit = True
        server.force_exit = True
        await task
