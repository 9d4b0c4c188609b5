"""Uvicorn with a drain before the graceful shutdown (``server.py serve``).

Uvicorn, on SIGTERM or SIGINT, closes its listening socket at once and then waits for the requests
in flight. A load balancer still sending traffic there meanwhile gets refused connections: it only
learns that the process is going away from a failing health check. So a signal first starts a
*drain*: ``/readyz`` answers 503 ``draining`` (web/health.py) while every other request is served
as usual, for ``PORTAL_SHUTDOWN_DRAIN_SECONDS``; only then does uvicorn's own shutdown run (stop
accepting, finish the requests in flight within ``PORTAL_SHUTDOWN_GRACE_SECONDS``, then the
lifespan's shutdown: outbox worker, database pools).

The server tells the application through the ASGI lifespan state, which uvicorn copies into every
request's scope (``scope["state"]``): no global, and an application served by any other server
simply never drains.

With ``--workers N`` uvicorn's supervisor forwards the signal to every worker process, and each
one drains the same way.
"""

from __future__ import annotations

import gc
import logging
import signal
import socket
import time
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.supervisors import multiprocess

from web.protocol import DEFAULT_HEADER_TIMEOUT_SECONDS, HeaderTimeoutProtocol

logger = logging.getLogger("portal.server")

# The key of the shared ``Drain`` in the lifespan state (and so in each request's state).
DRAIN_STATE_KEY = "drain"


class Drain:
    """Whether this process is draining for shutdown; shared by the server and its requests."""

    def __init__(self) -> None:
        self.started_at: float | None = None

    @property
    def active(self) -> bool:
        return self.started_at is not None

    def begin(self) -> None:
        if self.started_at is None:
            self.started_at = time.monotonic()


class DrainingConfig(uvicorn.Config):
    """Uvicorn's configuration plus the drain: it travels to spawned workers with the rest."""

    def __init__(
        self,
        app: str,
        *,
        drain_seconds: float,
        header_timeout_seconds: float = DEFAULT_HEADER_TIMEOUT_SECONDS,
        **kwargs: Any,
    ) -> None:
        # Our protocol: request headers have a deadline (web/protocol.py).
        kwargs.setdefault("http", HeaderTimeoutProtocol)
        super().__init__(app, **kwargs)
        self.drain_seconds = drain_seconds
        self.header_timeout_seconds = header_timeout_seconds


class DrainingServer(uvicorn.Server):
    """A uvicorn server whose first SIGTERM/SIGINT starts a drain instead of the shutdown.

    During the drain a repeated SIGTERM changes nothing (systemd signals every process of the
    unit and the supervisor forwards its own signal too); a second SIGINT (Ctrl-C again) ends the
    drain at once, and a third forces the exit as in uvicorn. A shutdown begun by a signal is the
    normal end of ``serve``: the signal is not re-raised afterwards, so the process exits 0.
    """

    def __init__(self, config: DrainingConfig) -> None:
        super().__init__(config)
        self.drain = Drain()
        self.drain_seconds = config.drain_seconds
        self._drain_ends: float | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        # Before the lifespan starts: Starlette merges its own state into this same dict.
        self.lifespan.state[DRAIN_STATE_KEY] = self.drain
        await super().startup(sockets)
        # What startup built (modules, the schema, templates, compiled statements, keys) lives
        # until the process ends. Frozen, it is left out of every later full garbage collection:
        # the interpreter's last one at exit walked the whole heap — half a second on a quiet
        # machine, over three seconds under load, all of it between Ctrl-C and the exit — and so does
        # each generation-2 collection while serving.
        gc.freeze()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit:
            if sig == signal.SIGINT:
                self.force_exit = True
            return
        if self._drain_ends is None and self.drain_seconds > 0 and self.started:
            self.drain.begin()
            self._drain_ends = time.monotonic() + self.drain_seconds
            logger.info(
                "shutdown: draining for %.1f s (readiness answers 503), then finishing the "
                "requests in flight",
                self.drain_seconds,
            )
            return
        if self._drain_ends is not None and sig != signal.SIGINT:
            return
        self.should_exit = True

    async def on_tick(self, counter: int) -> bool:
        if self._drain_ends is not None and time.monotonic() >= self._drain_ends:
            self.should_exit = True
        return await super().on_tick(counter)


class DrainingProcess(multiprocess.Process):
    """A ``--workers`` worker process that serves with a ``DrainingServer``."""

    @property
    def server(self) -> uvicorn.Server:
        if self._server is None:
            assert isinstance(self.config, DrainingConfig)
            self._server = DrainingServer(self.config)
        return self._server


def run(config: DrainingConfig) -> None:
    """Serve until a signal has drained and shut the process (or every worker) down."""
    if config.workers > 1:
        # Uvicorn's supervisor builds its workers from its module's ``Process`` in four places
        # (start, restart on SIGHUP, replacement of a dead worker, SIGTTIN); naming our subclass
        # there is one line instead of copies of those methods. This runs in the supervisor
        # process only; the workers unpickle a ``DrainingProcess`` by its own name.
        multiprocess.Process = DrainingProcess  # type: ignore[misc]
        sock = config.bind_socket()
        multiprocess.Multiprocess(config, sockets=[sock]).run()
        return
    DrainingServer(config).run()
