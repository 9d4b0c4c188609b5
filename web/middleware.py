"""ASGI middleware: a request id on every request and response, and baseline security headers."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.logging import request_id_var

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_REQUEST_ID_HEADER = b"x-request-id"
# Two years, the value OWASP's HTTP headers cheat sheet recommends; no preload (an operator's
# decision for the whole domain).
HSTS = "max-age=63072000; includeSubDomains"


class ResponseHeadersMiddleware:
    """Accept a sane incoming X-Request-Id or make one; expose it to logs and the response. And
    the headers every response gets unless the handler chose its own: ``nosniff`` always, HSTS
    in production. Page headers (CSP, framing, referrer) belong to the pages that need them.

    One middleware, editing the raw header list once: every layer is paid on every request."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        defaults = [(b"x-content-type-options", b"nosniff")]
        if production:
            defaults.append((b"strict-transport-security", HSTS.encode("latin-1")))
        self._defaults = tuple(defaults)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", []):
            if name == _REQUEST_ID_HEADER:
                incoming = value.decode("latin-1")
                break
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        id_header = (_REQUEST_ID_HEADER, request_id.encode("latin-1"))
        defaults = self._defaults

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The handler's headers win, except its own request id (ours replaces it).
                headers = [h for h in message.get("headers", ()) if h[0] != _REQUEST_ID_HEADER]
                present = {name for name, _ in headers}
                headers += [h for h in defaults if h[0] not in present]
                headers.append(id_header)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            request_id_var.reset(token)
