"""One structured access-log line per HTTP request: method, path, status, duration, request id
(and the GraphQL operation name when the client gave one).

Never the query string (activation and reset links carry tokens there), headers or bodies. The
server's own access log is switched off (server.py) because it prints the query string.
"""

from __future__ import annotations

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.logging import request_id_var

logger = logging.getLogger("portal.access")

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_PATH = 200


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except BaseException:
            # Starlette's error middleware (outside us) answers 500; a cancelled request never
            # got an answer.
            status = status or 500
            raise
        finally:
            _log(scope, status, time.perf_counter() - started)


def _log(scope: Scope, status: int | None, seconds: float) -> None:
    if not logger.isEnabledFor(logging.INFO):
        return  # nobody reads the line: no need to build it
    # The path is percent-decoded: control characters would let a client forge log lines.
    path = _UNPRINTABLE.sub("?", str(scope.get("path", "")))[:MAX_PATH]
    method = str(scope.get("method", ""))
    fields: dict[str, object] = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "request_id": request_id_var.get() or scope.get("state", {}).get("request_id"),
    }
    operation = scope.get("state", {}).get("graphql_operation")
    if operation:
        fields["operation"] = operation
    logger.info(
        "%s %s %s %.1fms%s",
        method,
        path,
        status if status is not None else "-",
        fields["duration_ms"],
        f" {operation}" if operation else "",
        extra={"fields": fields},
    )
