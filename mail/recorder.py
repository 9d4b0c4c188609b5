"""Recording deliveries as SENT without making the next delivery wait for the database.

After the relay accepts a message the worker hands it to a ``SentRecorder`` and goes on with the
next one. The recorder writes in the background; deliveries that finish while a write is in flight
are recorded together by the next write (group commit). So a loop's SMTP conversation and its
database writes overlap, and a slow database costs fewer, larger transactions instead of a
stall per message, while a delivered message still waits at most about two transactions for its
SENT mark (the window in which a crash would send it again). While the database is down the
recorder keeps trying until it answers (the lease cannot expire under a message that was sent,
unless the outage outlasts the lease), and the worker sends nothing more meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import time

from db.database import Database
from kit.clock import utcnow
from kit.dependencies import describe, unavailable
from mail import repository
from mail.compose import OutgoingMail

logger = logging.getLogger("portal.mail.outbox")

# A delivered message is recorded as soon as the database answers again: retried this often at
# most (from 0.1 s, doubling), so that its lease, which nobody can renew meanwhile, is still ours.
RETRY_CAP_SECONDS = 1.0
# A failure that is not an outage (a bug) is not going to heal: give up after this many tries.
BUG_ATTEMPTS = 3


class SentRecorder:
    def __init__(self, db: Database, *, owner: str, scrub: bool) -> None:
        self._db = db
        self._owner = owner
        self._scrub = scrub
        self._waiting: list[OutgoingMail] = []
        self._task: asyncio.Task[None] | None = None
        # True while a write fails for want of a database: the worker sends nothing meanwhile.
        self.failing = False

    def add(self, mail: OutgoingMail) -> None:
        self._waiting.append(mail)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name=f"outbox-sent-{self._owner}")

    async def flush(self) -> None:
        """Wait until every delivery handed over so far is recorded (or given up on). Cancelled
        (the worker's stop grace is over), it stops trying."""
        if self._task is not None:
            try:
                await asyncio.shield(self._task)
            except asyncio.CancelledError:
                self._task.cancel()
                raise
        if self._waiting:  # only if the task was cancelled with deliveries still waiting
            await self._drain()

    async def _drain(self) -> None:
        # Nothing yields between the emptiness check and the task's end, so a delivery added
        # after that finds the task done and starts a new one.
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._record(batch)
            except asyncio.CancelledError:
                self._lost(batch + self._waiting, "the worker stopped")
                self._waiting = []
                raise

    async def _record(self, batch: list[OutgoingMail]) -> None:
        held: set[object] = set()
        delay = 0.1
        failures = 0
        outage_started: float | None = None
        while True:
            try:
                async with self._db.unit_of_work() as session:
                    held = set(
                        await repository.mark_sent(
                            session,
                            owner=self._owner,
                            ids=[m.id for m in batch],
                            now=utcnow(),
                            scrub=self._scrub,
                        )
                    )
                break
            except Exception as exc:
                failures += 1
                dependency = unavailable(exc)
                if dependency is None and failures >= BUG_ATTEMPTS:
                    self.failing = False
                    logger.exception("could not mark delivered messages SENT")
                    self._lost(batch, "an unexpected error")
                    return
                if dependency is not None:
                    self.failing = True
                    if outage_started is None:
                        outage_started = time.monotonic()
                        logger.warning(
                            "%d delivered message(s) wait to be marked SENT until the %s answers "
                            "(%s)",
                            len(batch),
                            dependency,
                            describe(exc),
                        )
                await asyncio.sleep(delay)
                delay = min(RETRY_CAP_SECONDS, delay * 2)
        self.failing = False
        if outage_started is not None:
            logger.warning(
                "marked %d delivered message(s) SENT after %.1f s without a database",
                len(held),
                time.monotonic() - outage_started,
            )
        for mail in batch:
            if mail.id not in held:
                logger.warning(
                    "message %s was delivered after its lease had passed to another worker; "
                    "it may arrive twice",
                    mail.message_id,
                )

    @staticmethod
    def _lost(batch: list[OutgoingMail], why: str) -> None:
        if batch:
            logger.error(
                "%d delivered message(s) could not be marked SENT (%s): %s; they will be "
                "delivered again when their lease expires",
                len(batch),
                why,
                ", ".join(m.message_id for m in batch),
            )
