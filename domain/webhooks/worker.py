"""The webhook worker: delivers what the webhook outbox holds, signed, at least once.

Like the mail worker (mail/worker.py), a process runs ``settings.webhook_workers`` loops. Each loop
claims a batch of due deliveries with a lease (repository.py: no two workers hold a row), sends
them concurrently outside any transaction (each attempt is bounded by the timeout, so the batch
ends well within the lease), and records the outcomes in one transaction, each conditional on
still holding the lease:

* 2xx: SUCCEEDED, and the endpoint's failure clock stops;
* anything else (another status, a redirect, no answer, a refused address): one more attempt, the
  next after exponential backoff with jitter, or DEAD once the event is older than
  ``webhook_give_up_seconds`` (about three days); a body over the size limit is DEAD at once;
* an endpoint that has not had one success for ``webhook_disable_after_seconds`` is disabled, the
  change audited, and its organization's admins mailed (through the mail outbox, in the same
  transaction).

At least once, not exactly once: a process killed between the receiver's answer and the update
leaves a lease that expires, and the delivery goes again with the same ``webhook-id``, which is
how a receiver recognizes it (Standard Webhooks). The ``webhook-timestamp`` and signatures are
made at each attempt, so that receivers' replay windows (5 minutes) hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database, DatabaseTimeouts
from db.enums import WebhookDeliveryStatus
from db.lease_loops import LeaseLoops
from domain.audit.service import record
from domain.context import RequestMeta
from domain.secrets import ServerSecrets
from domain.webhooks import repository
from domain.webhooks.addresses import AddressPolicy
from domain.webhooks.outbox import ENQUEUED_KEY
from domain.webhooks.repository import Claimed
from domain.webhooks.secrets import WEBHOOK_SEALING_KEY, signature_header, unseal
from domain.webhooks.transport import Attempt, Transport
from kit.backoff import backoff_delay
from kit.clock import utcnow
from mail.catalog import WebhookEndpointDisabledMail
from mail.messages import human_duration
from mail.outbox import enqueue
from settings import Settings

logger = logging.getLogger("portal.webhooks")

USER_AGENT = "CloudPortal-Webhooks/1"


def address_policy(settings: Settings) -> AddressPolicy:
    return AddressPolicy(
        allow_http=settings.webhooks_allow_http, allow_loopback=settings.webhooks_reach_loopback
    )


class WebhookWorker(LeaseLoops):
    kind = "webhook"
    enqueued_key = ENQUEUED_KEY

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        server_secrets: ServerSecrets | None = None,
        loops: int | None = None,
        rng: random.Random | None = None,
        wake_on: Database | None = None,
        owns_db: bool = False,
    ) -> None:
        super().__init__(
            db,
            loops=settings.webhook_workers if loops is None else loops,
            lease_seconds=settings.webhook_lease_seconds,
            logger=logger,
            wake_on=wake_on,
            owns_db=owns_db,
        )
        self._settings = settings
        self._secrets = server_secrets or ServerSecrets(db)
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not a secret)

    def _grace_seconds(self) -> float:
        return self._settings.webhook_timeout_seconds + 5

    async def _release(self, session: AsyncSession, owner: str) -> None:
        await repository.release(session, owner=owner)

    # --- the loop ------------------------------------------------------------------------------

    async def _run(self, index: int) -> None:
        owner = f"{self.name}:{index}"
        event = self._events[index]
        settings = self._settings
        transport = Transport(address_policy(settings), timeout=settings.webhook_timeout_seconds)
        errors = 0
        next_purge = time.monotonic() if index == 0 else float("inf")
        try:
            while not self._stopping:
                event.clear()
                try:
                    next_purge = await self._purge_when_due(next_purge)
                    claimed = await self._deliver_batch(owner, transport)
                except Exception as exc:
                    errors += 1
                    self._loop_failed(exc, f"webhook loop {owner}")
                    pause = backoff_delay(errors, base=0.5, cap=15.0, rng=self._rng)
                    await self._pause(event, pause, wakeable=False)
                    continue
                errors = 0
                if claimed >= settings.webhook_batch_size:
                    continue
                await self._pause(event, settings.webhook_poll_seconds, wakeable=True)
        finally:
            with contextlib.suppress(Exception):
                await transport.close()
            await self._give_back(owner)

    async def _deliver_batch(self, owner: str, transport: Transport) -> int:
        sealing_key = await self._secrets.get(WEBHOOK_SEALING_KEY)
        async with self._db.unit_of_work() as session:
            batch = await repository.claim(
                session,
                owner=owner,
                limit=self._settings.webhook_batch_size,
                lease=self._lease,
                now=utcnow(),
            )
        if not batch:
            return 0
        if self._stopping:
            async with self._db.unit_of_work() as session:
                await repository.release(session, owner=owner, ids=[d.id for d in batch])
            return len(batch)
        attempts = await asyncio.gather(*(self._attempt(transport, d, sealing_key) for d in batch))
        await self._record(owner, list(zip(batch, attempts, strict=True)))
        return len(batch)

    # --- one delivery --------------------------------------------------------------------------

    async def _attempt(
        self, transport: Transport, delivery: Claimed, sealing_key: bytes
    ) -> Attempt:
        body = delivery.payload.encode("utf-8")
        if len(body) > self._settings.webhook_max_payload_bytes:
            error = f"payload of {len(body)} bytes is over the limit"
            return Attempt(None, 0, error, permanent=True)
        now = utcnow()
        secrets_ = [unseal(sealing_key, delivery.sealed_secret, delivery.endpoint_id)]
        if (
            delivery.sealed_previous_secret is not None
            and delivery.previous_secret_expires_at is not None
            and delivery.previous_secret_expires_at > now
        ):
            secrets_.append(
                unseal(sealing_key, delivery.sealed_previous_secret, delivery.endpoint_id)
            )
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature_header(
                secrets_, message_id=delivery.message_id, timestamp=now, body=body
            ),
        }
        return await transport.post(delivery.url, headers, body)

    def _outcome(
        self, delivery: Claimed, attempt: Attempt, now: datetime
    ) -> tuple[WebhookDeliveryStatus, datetime | None]:
        """The delivery's next status, and when to try again (PENDING only)."""
        settings = self._settings
        if attempt.ok:
            return WebhookDeliveryStatus.SUCCEEDED, None
        if attempt.permanent:
            return WebhookDeliveryStatus.DEAD, None
        delay = backoff_delay(
            delivery.attempts + 1,
            base=settings.webhook_retry_base_seconds,
            cap=settings.webhook_retry_max_seconds,
            rng=self._rng,
        )
        retry_at = now + timedelta(seconds=delay)
        if retry_at > delivery.created_at + timedelta(seconds=settings.webhook_give_up_seconds):
            return WebhookDeliveryStatus.DEAD, None
        return WebhookDeliveryStatus.PENDING, retry_at

    async def _record(self, owner: str, outcomes: list[tuple[Claimed, Attempt]]) -> None:
        """A batch's outcomes in one transaction (one commit, not one per delivery), each
        conditional on the lease. Should it fail, the leases expire and the batch goes again:
        at least once."""
        settings = self._settings
        now = utcnow()
        disable_before = now - timedelta(seconds=settings.webhook_disable_after_seconds)
        disabled: set[uuid.UUID] = set()
        async with self._db.unit_of_work() as session:
            for delivery, attempt in outcomes:
                status, retry_at = self._outcome(delivery, attempt, now)
                held = await repository.record_attempt(
                    session,
                    owner=owner,
                    delivery=delivery,
                    now=now,
                    status=status,
                    response_status=attempt.status,
                    duration_ms=attempt.duration_ms,
                    error=attempt.error,
                    retry_at=retry_at,
                )
                if not held:
                    logger.warning("webhook %s: lease lost before recording", delivery.message_id)
                    continue
                self._log(delivery, attempt, status)
                if attempt.ok:
                    await repository.endpoint_succeeded(session, delivery.endpoint_id)
                elif await repository.endpoint_failed(
                    session, delivery.endpoint_id, now=now, disable_before=disable_before
                ):
                    disabled.add(delivery.endpoint_id)
                    await self._tell_admins(session, delivery)
        for endpoint_id in disabled:
            logger.warning("webhook endpoint %s disabled: failing for days", endpoint_id)

    def _log(self, delivery: Claimed, attempt: Attempt, status: WebhookDeliveryStatus) -> None:
        if status is WebhookDeliveryStatus.DEAD:
            logger.error(
                "webhook %s to endpoint %s is DEAD after %d attempt(s): %s",
                delivery.message_id,
                delivery.endpoint_id,
                delivery.attempts + 1,
                attempt.error,
            )
        elif not attempt.ok:
            logger.info(
                "webhook %s to endpoint %s failed (attempt %d): %s",
                delivery.message_id,
                delivery.endpoint_id,
                delivery.attempts + 1,
                attempt.error,
            )

    async def _tell_admins(self, session: AsyncSession, delivery: Claimed) -> None:
        settings = self._settings
        await record(
            session,
            "webhook.endpoint_disabled",
            meta=RequestMeta.system("webhook worker"),
            organization_id=delivery.organization_id,
            target_type="webhook_endpoint",
            target_id=delivery.endpoint_id,
            details={"url": delivery.url, "reason": "FAILING"},
        )
        name, admins = await repository.admins_to_tell(session, delivery.organization_id)
        for email, first_name in admins:
            await enqueue(
                session,
                mail=WebhookEndpointDisabledMail(
                    first_name=first_name,
                    organization_name=name,
                    endpoint_address=delivery.url,
                    failing_for=human_duration(settings.webhook_disable_after_seconds),
                    settings_url=f"{settings.public_url}/settings/webhooks",
                ),
                to=email,
                public_url=settings.public_url,
            )

    async def _purge(self) -> None:
        before = utcnow() - timedelta(days=self._settings.webhook_retention_days)
        async with self._db.unit_of_work() as session:
            removed = await repository.purge(session, before=before)
        if removed:
            logger.info("purged %d finished webhook deliveries", removed)


async def start_webhook_worker(db: Database, settings: Settings) -> WebhookWorker | None:
    """The lifespan's entry point: a started worker on an engine of its own (as the mail
    worker's), woken by commits on the process's ``db``; None when ``webhook_workers`` is 0."""
    if settings.webhook_workers <= 0:
        return None
    own = Database.from_url(
        settings.database_url,
        pool_size=settings.webhook_workers + 1,
        echo=settings.db_echo,
        timeouts=DatabaseTimeouts.from_settings(settings),
    )
    worker = WebhookWorker(own, settings, wake_on=db, owns_db=True)
    await worker.start()
    return worker
