"""Recording deliveries as SENT without making the next delivery wait for the database.

After the relay accepts a message the worker hands it to a ``SentRecorder`` and goes on with the
next one. The recorder writes in the background; deliveries that finish while a write is in flight
are recorded together by the next write (group commit). So a loop's SMTP conversation and its
database writes overlap, and a slow database costs fewer, larger transactions instead of a
stall per message, while a delivered message still waits at most about two transactions for its
SENT mark (the window in which a crash would send it again).
"""

from __future__ import annotations

import asyncio
import logging

from db.database import Database
from kit.clock import utcnow
from mail import repository
from mail.compose import OutgoingMail

logger = logging.getLogger("portal.mail.outbox")

# A database hiccup right after a successful send must not make us resend: retry the SENT update.
MARK_ATTEMPTS = 3


class SentRecorder:
    def __init__(self, db: Database, *, owner: str, scrub: bool) -> None:
        self._db = db
        self._owner = owner
        self._scrub = scrub
        self._waiting: list[OutgoingMail] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, mail: OutgoingMail) -> None:
        self._waiting.append(mail)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name=f"outbox-sent-{self._owner}")

    async def flush(self) -> None:
        """Wait until every delivery handed over so far is recorded (or given up on)."""
        if self._task is not None:
            await asyncio.shield(self._task)
        if self._waiting:  # only if the task was cancelled with deliveries still waiting
            await self._drain()

    async def _drain(self) -> None:
        # Nothing yields between the emptiness check and the task's end, so a delivery added
        # after that finds the task done and starts a new one.
        while self._waiting:
            batch, self._waiting = self._waiting, []
            await self._record(batch)

    async def _record(self, batch: list[OutgoingMail]) -> None:
        held: set[object] = set()
        for attempt in range(1, MARK_ATTEMPTS + 1):
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
            except Exception:
                if attempt == MARK_ATTEMPTS:
                    logger.exception(
                        "%d delivered message(s) could not be marked SENT (%s); they will be "
                        "delivered again when their lease expires",
                        len(batch),
                        ", ".join(m.message_id for m in batch),
                    )
                    return
                await asyncio.sleep(0.2 * attempt)
        for mail in batch:
            if mail.id not in held:
                logger.warning(
                    "message %s was delivered after its lease had passed to another worker; "
                    "it may arrive twice",
                    mail.message_id,
                )
