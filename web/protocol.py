"""Uvicorn's HTTP protocol (httptools) with a deadline for a request's headers.

Uvicorn closes a kept-alive connection that sends nothing for ``timeout_keep_alive``, but a fresh
connection that sends nothing, or a client that sends its headers a byte at a time (slowloris),
holds a connection for ever. Here each request's headers must be complete within
``PORTAL_HTTP_HEADER_TIMEOUT_SECONDS`` of the connection opening (the first request) or of its
first byte (the next ones on a kept-alive connection); otherwise the connection is closed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

logger = logging.getLogger("portal.server")

DEFAULT_HEADER_TIMEOUT_SECONDS = 10.0


class HeaderTimeoutProtocol(HttpToolsProtocol):
    def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        # DrainingConfig (web/serving.py) carries the setting; any other config the default.
        self._header_timeout = float(
            getattr(config, "header_timeout_seconds", DEFAULT_HEADER_TIMEOUT_SECONDS)
        )
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self._header_timeout, self._header_timed_out)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timed_out(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            logger.info(
                "closed a connection from %s: no complete request headers within %g s",
                self.client[0] if self.client else "?",
                self._header_timeout,
            )
            self.transport.close()
