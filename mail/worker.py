"""The outbox worker: delivers what use cases wrote to the outbox, each message once.

A process runs ``settings.outbox_workers`` loops (started and stopped by the lifespan). Each loop:

1. claims a batch of due messages with a lease, in one short write transaction
   (``mail/repository.py`` explains why no two claimers can take the same row);
2. sends them one by one *outside* any transaction (SMTP can take seconds; holding a database
   transaction, or SQLite's write lock, that long would stall every request);
3. records each outcome conditionally on still holding the lease: SENT (in the background, while
   the next message goes out: ``mail/recorder.py``); or one more attempt and a retry time with
   exponential backoff and jitter; or DEAD after ``outbox_max_attempts`` (or at once when the relay
   refuses the recipient permanently), logged as an error.

A loop that crashes or a process that dies leaves its leases behind; they expire after
``outbox_lease_seconds`` and the rows are claimed again. The windows for a duplicate: a crash
between the relay accepting a message and the SENT update; a database outage longer than the
lease during that update (``SentRecorder`` retries until the database answers, and the loop sends
nothing meanwhile); a relay that had the whole message but never answered (``DeliveryUnknown``:
retried only after ``outbox_unknown_retry_seconds``). Receivers can recognize a retry by its
unchanged Message-ID. Before each send the loop makes sure its lease outlives the longest possible
delivery, renewing it when needed, so a slow relay cannot hand the same message to a second
worker.

A loop sleeps ``outbox_poll_seconds`` between empty polls, and wakes at once when a unit of work of
this process commits mail (``enqueue`` marks the session; ``Database.on_commit`` tells us). Other
processes notice at their next poll. ``stop()`` lets each loop finish the message in flight, then
gives back the leases it still holds, so another process can send them right away.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database, DatabaseTimeouts
from db.lease_loops import LeaseLoops
from kit.backoff import backoff_delay
from kit.clock import utcnow
from mail import repository
from mail.compose import OutgoingMail, build_email
from mail.outbox import ENQUEUED_KEY
from mail.recorder import SentRecorder
from mail.senders import (
    DeliveryUnknown,
    MessageDeferred,
    MessageRejected,
    RelayUnavailable,
    Sender,
    sender_factory,
)
from settings import Settings

logger = logging.getLogger("portal.mail.outbox")


@dataclass(frozen=True, slots=True)
class _BatchResult:
    claimed: int
    outage: RelayUnavailable | None = None


class OutboxWorker(LeaseLoops):
    kind = "outbox"
    enqueued_key = ENQUEUED_KEY

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        make_sender: Callable[[], Sender] | None = None,
        loops: int | None = None,
        rng: random.Random | None = None,
        wake_on: Database | None = None,
        owns_db: bool = False,
    ) -> None:
        """``db`` is what the loops query; ``wake_on`` the database whose commits of mail wake
        them (default ``db``); with ``owns_db`` the worker disposes ``db`` when it stops."""
        super().__init__(
            db,
            loops=settings.outbox_workers if loops is None else loops,
            lease_seconds=settings.outbox_lease_seconds,
            logger=logger,
            wake_on=wake_on,
            owns_db=owns_db,
        )
        self._settings = settings
        self._make_sender = make_sender or sender_factory(settings)
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not a secret)
        # Longest a delivery can take (SmtpSender's budget) plus a margin for the SENT update;
        # settings guarantee that a fresh lease is longer.
        self._send_window = timedelta(seconds=2 * settings.smtp_timeout_seconds + 0.5)

    def _grace_seconds(self) -> float:
        # A delivery is bounded by the sender's budget; then a margin for the database.
        return self._send_window.total_seconds() + 5

    async def _release(self, session: AsyncSession, owner: str) -> None:
        await repository.release(session, owner=owner)

    # --- the loop ------------------------------------------------------------------------------

    async def _run(self, index: int) -> None:
        owner = f"{self.name}:{index}"
        event = self._events[index]
        sender = self._make_sender()
        settings = self._settings
        outages = 0  # consecutive batches that found the relay unreachable
        errors = 0  # consecutive unexpected failures (the database is down, a bug)
        next_purge = time.monotonic() if index == 0 else float("inf")
        try:
            while not self._stopping:
                event.clear()
                try:
                    next_purge = await self._purge_when_due(next_purge)
                    result = await self._deliver_batch(owner, sender)
                except Exception as exc:
                    errors += 1
                    self._loop_failed(exc, f"outbox loop {owner}")
                    await self._pause(event, self._outage_pause(errors), wakeable=False)
                    continue
                errors = 0
                if result.outage is not None:
                    outages += 1
                    self._log_outage(result.outage, outages)
                    await self._pause(event, self._outage_pause(outages), wakeable=False)
                    continue
                if outages:
                    logger.warning("mail relay reachable again after %d failed tries", outages)
                    outages = 0
                if result.claimed >= settings.outbox_batch_size:
                    continue  # a full batch: more is probably due
                if result.claimed == 0:
                    await sender.idle()
                await self._pause(event, settings.outbox_poll_seconds, wakeable=True)
        finally:
            with contextlib.suppress(Exception):
                await sender.close()
            await self._give_back(owner)

    def _outage_pause(self, count: int) -> float:
        return backoff_delay(
            count, base=0.5, cap=self._settings.outbox_outage_max_pause_seconds, rng=self._rng
        )

    def _log_outage(self, outage: RelayUnavailable, count: int) -> None:
        # Once when it starts and then now and then, not once per poll.
        if count == 1 or count % 20 == 0:
            level = logging.ERROR if outage.authentication else logging.WARNING
            logger.log(
                level,
                "mail relay unavailable (%s); mail waits in the outbox, try %d",
                outage,
                count,
            )

    # --- one batch -----------------------------------------------------------------------------

    async def _deliver_batch(self, owner: str, sender: Sender) -> _BatchResult:
        async with self._db.unit_of_work() as session:
            batch = await repository.claim(
                session,
                owner=owner,
                limit=self._settings.outbox_batch_size,
                lease=self._lease,
                now=utcnow(),
            )
        pending = list(batch)
        recorder = SentRecorder(self._db, owner=owner, scrub=self._settings.outbox_scrub_sent)
        try:
            while pending and not self._stopping:
                if recorder.failing:
                    # The database is not answering: a message sent now could not be recorded
                    # either, and each unrecorded one may go out twice. Wait for it.
                    await recorder.flush()
                    continue
                if pending[0].leased_until - utcnow() < self._send_window:
                    pending = await self._renew(owner, pending)
                    if not pending:
                        break
                mail = pending[0]
                try:
                    message = build_email(mail, self._settings.mail_from)
                except (ValueError, TypeError) as exc:
                    pending.pop(0)
                    await self._failed(owner, mail, f"cannot build the message: {exc}", True)
                    continue
                try:
                    await sender.send(message)
                except RelayUnavailable as exc:
                    # Not this message's fault: everything claimed goes back, no attempt spent.
                    async with self._db.unit_of_work() as session:
                        await repository.release(
                            session, owner=owner, ids=[m.id for m in pending], error=str(exc)
                        )
                    pending = []
                    return _BatchResult(claimed=len(batch), outage=exc)
                except MessageRejected as exc:
                    pending.pop(0)
                    await self._failed(owner, mail, str(exc), True)
                except MessageDeferred as exc:
                    pending.pop(0)
                    await self._failed(owner, mail, str(exc), False)
                except DeliveryUnknown as exc:
                    pending.pop(0)
                    await self._unknown(owner, mail, str(exc))
                else:
                    pending.pop(0)
                    recorder.add(mail)  # recorded in the background while the next one goes
        finally:
            await recorder.flush()
            if pending:  # stopping, or something unexpected: give the rest back
                async with self._db.unit_of_work() as session:
                    await repository.release(session, owner=owner, ids=[m.id for m in pending])
        return _BatchResult(claimed=len(batch))

    async def _renew(self, owner: str, pending: list[OutgoingMail]) -> list[OutgoingMail]:
        now = utcnow()
        async with self._db.unit_of_work() as session:
            held = await repository.renew(
                session, owner=owner, ids=[m.id for m in pending], lease=self._lease, now=now
            )
        lost = len(pending) - len(held)
        if lost:
            logger.warning("%s lost the lease on %d message(s) before sending them", owner, lost)
        return [
            dataclasses.replace(m, leased_until=now + self._lease) for m in pending if m.id in held
        ]

    async def _failed(self, owner: str, mail: OutgoingMail, error: str, permanent: bool) -> None:
        settings = self._settings
        attempts = mail.attempts + 1
        dead = permanent or attempts >= settings.outbox_max_attempts
        delay = backoff_delay(
            attempts,
            base=settings.outbox_retry_base_seconds,
            cap=settings.outbox_retry_max_seconds,
            rng=self._rng,
        )
        async with self._db.unit_of_work() as session:
            held = await repository.mark_failed(
                session,
                owner=owner,
                message=mail,
                error=error,
                retry_at=None if dead else utcnow() + timedelta(seconds=delay),
            )
        if not held:
            logger.warning("message %s: lease lost before recording a failure", mail.message_id)
        elif dead:
            logger.error(
                "outbox message %s (id %s) is DEAD after %d attempt(s)%s; last error: %s",
                mail.message_id,
                mail.id,
                attempts,
                " (permanent failure)" if permanent else "",
                error,
            )
        else:
            logger.warning(
                "message %s deferred (attempt %d of %d), retry in %.0fs: %s",
                mail.message_id,
                attempts,
                settings.outbox_max_attempts,
                delay,
                error,
            )

    async def _unknown(self, owner: str, mail: OutgoingMail, error: str) -> None:
        """The relay had the whole message and did not answer: perhaps delivered. Not resent
        before ``outbox_unknown_retry_seconds`` (then with the same Message-ID)."""
        wait = self._settings.outbox_unknown_retry_seconds
        retry_at = utcnow() + timedelta(seconds=wait)
        async with self._db.unit_of_work() as session:
            held = await repository.mark_failed(
                session,
                owner=owner,
                message=mail,
                error=f"outcome unknown: {error}",
                retry_at=retry_at,
            )
        if held:
            logger.warning(
                "message %s: the relay did not confirm the end of DATA (%s); it may have been "
                "delivered, so it is not sent again before %s",
                mail.message_id,
                error,
                retry_at.isoformat(timespec="seconds"),
            )
        else:
            logger.warning(
                "message %s: lease lost before recording an unknown outcome", mail.message_id
            )

    async def _purge(self) -> None:
        before = utcnow() - timedelta(days=self._settings.outbox_retention_days)
        async with self._db.unit_of_work() as session:
            removed = await repository.purge(session, before=before)
        if removed:
            logger.info("purged %d finished outbox message(s)", removed)


async def start_outbox_worker(db: Database, settings: Settings) -> OutboxWorker | None:
    """The lifespan's entry point: a started worker, or None when this process sends no mail.

    The worker gets an engine of its own, woken by commits on the process's ``db``: its polling
    never takes a connection a request is waiting for, and never shows up among the statements
    a request runs (which tests count)."""
    if settings.outbox_workers <= 0:
        return None
    own = Database.from_url(
        settings.database_url,
        pool_size=settings.outbox_workers,
        echo=settings.db_echo,
        timeouts=DatabaseTimeouts.from_settings(settings),
    )
    worker = OutboxWorker(own, settings, wake_on=db, owns_db=True)
    await worker.start()
    if settings.smtp is None:
        logger.info(
            "PORTAL_SMTP_URL is not set: mail is printed and saved under %s", settings.mail_dir
        )
    else:
        logger.info("mail goes to %s", settings.smtp.describe())
    return worker
