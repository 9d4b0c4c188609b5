"""The skeleton the outbox workers share (mail/worker.py, domain/webhooks/worker.py).

A worker runs a number of loops, each of which claims rows of its outbox with a lease named after
the loop (``owner``), works them outside any transaction and records the outcomes. What is common
lives here: the worker's unique name, starting and stopping the loops (finishing the work in
flight, then cancelling after a grace period), waking them when a unit of work of this process
commits something for them (``Database.on_commit`` and a session flag), the pause between polls,
and giving back a loop's leases when it ends. Each worker writes its own ``_run`` loop.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database
from kit.dependencies import OUTAGES, unavailable

# Delivered and dead rows are purged this often, by each worker's first loop.
PURGE_INTERVAL_SECONDS = 3600.0


class LeaseLoops(abc.ABC):
    #: "outbox", "webhook": names the tasks (``<kind>-<index>``) and the log lines.
    kind: str
    #: The ``session.info`` key that marks a unit of work which wrote for this worker.
    enqueued_key: str

    def __init__(
        self,
        db: Database,
        *,
        loops: int,
        lease_seconds: float,
        logger: logging.Logger,
        wake_on: Database | None = None,
        owns_db: bool = False,
    ) -> None:
        """``db`` is what the loops query; ``wake_on`` the database whose commits wake them
        (default ``db``); with ``owns_db`` the worker disposes ``db`` when it stops."""
        self._db = db
        self._wake_on = wake_on or db
        self._owns_db = owns_db
        self._loops = loops
        self._logger = logger
        host = socket.gethostname().split(".")[0][:24] or "host"
        # Unique per worker instance: a restarted process must not inherit a dead one's leases.
        self.name = f"{host}:{os.getpid()}:{secrets.token_hex(3)}"
        self._lease = timedelta(seconds=lease_seconds)
        self._events: list[asyncio.Event] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._unsubscribe: Callable[[], None] | None = None

    # --- what each worker provides --------------------------------------------------------------

    @abc.abstractmethod
    async def _purge(self) -> None:
        """Delete what is long finished (the first loop calls it every PURGE_INTERVAL_SECONDS)."""

    @abc.abstractmethod
    async def _run(self, index: int) -> None:
        """Loop ``index``: claim, work, record, pause, until ``_stopping``; then ``_give_back``."""

    @abc.abstractmethod
    def _grace_seconds(self) -> float:
        """How long ``stop()`` waits for the work in flight before cancelling the loops."""

    @abc.abstractmethod
    async def _release(self, session: AsyncSession, owner: str) -> None:
        """Give back every lease ``owner`` holds."""

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._tasks:
            raise RuntimeError(f"{self.kind} worker already started")
        self._stopping = False
        self._events = [asyncio.Event() for _ in range(self._loops)]
        self._unsubscribe = self._wake_on.on_commit(self._after_commit)
        self._tasks = [
            asyncio.create_task(self._run(index), name=f"{self.kind}-{index}")
            for index in range(self._loops)
        ]
        self._logger.info("%s worker %s started with %d loop(s)", self.kind, self.name, self._loops)

    async def stop(self) -> None:
        """Finish the work in flight, give back what is not started, end the loops."""
        if not self._tasks:
            return
        self._stopping = True
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.wake()
        # The work in flight is bounded (each worker's timeouts); past that and a margin for the
        # database, cancel: the leases then expire on their own.
        grace = self._grace_seconds()
        done, pending = await asyncio.wait(self._tasks, timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            self._logger.warning("%s loops did not stop within %.0fs; cancelled", self.kind, grace)
            await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                self._logger.error(
                    "%s loop ended with an error", self.kind, exc_info=task.exception()
                )
        self._tasks = []
        if self._owns_db:
            await self._db.dispose()
        self._logger.info("%s worker %s stopped", self.kind, self.name)

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not all(task.done() for task in self._tasks)

    def wake(self) -> None:
        """Look for due work now (every loop) instead of at the next poll."""
        for event in self._events:
            event.set()

    def _after_commit(self, session: AsyncSession) -> None:
        if session.info.get(self.enqueued_key):
            self.wake()

    # --- helpers for the loops ------------------------------------------------------------------

    async def _purge_when_due(self, due: float) -> float:
        """Purge when ``due`` (a monotonic time) has come; when the next purge is due."""
        if time.monotonic() < due:
            return due
        await self._purge()
        return time.monotonic() + PURGE_INTERVAL_SECONDS

    def _loop_failed(self, exc: Exception, loop: str) -> None:
        """A loop's batch failed: an outage is logged once for all who see it (kit/dependencies),
        anything else in full, with its traceback."""
        dependency = unavailable(exc)
        if dependency is None:
            self._logger.exception("%s failed; retrying", loop)
        else:
            OUTAGES.failed(dependency, exc, where=loop)

    async def _pause(self, event: asyncio.Event, seconds: float, *, wakeable: bool) -> None:
        """Sleep ``seconds``; ``stop()`` always ends it early, ``wake()`` only if ``wakeable``
        (a loop waiting out an outage should not hammer the dependency each time work comes)."""
        deadline = time.monotonic() + seconds
        while not self._stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await event.wait()
            if wakeable and event.is_set():
                return
            event.clear()

    async def _give_back(self, owner: str) -> None:
        """At a loop's end: release its leases, so another process can take them at once."""
        try:
            async with self._db.unit_of_work() as session:
                await self._release(session, owner)
        except Exception:
            self._logger.warning(
                "could not release the leases of %s; they expire on their own", owner
            )
