"""Writing to the outbox: inside the caller's transaction, so a rollback sends nothing.

The use cases call ``enqueue`` in their unit of work; the worker (``mail/worker.py``) delivers the
row after the transaction commits. ``enqueue`` marks the session so that, once the unit of work
commits, this process's worker wakes at once instead of at its next poll (``Database.on_commit``);
without a worker (a CLI command, a process with ``PORTAL_OUTBOX_WORKERS=0``) the mark is ignored
and any process's worker picks the row up at its next poll.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import OutboxStatus
from db.models import OutboxMessage
from kit.clock import utcnow
from kit.ids import uuid7
from mail.catalog import Mail
from mail.messages import render

# Set in ``session.info`` by ``enqueue``; read (and cleared) by the worker's commit listener.
ENQUEUED_KEY = "portal.outbox.enqueued"

# Mail an anonymous caller can make the portal send to any address, in the mail-bombing guard's
# budgets (SECURITY.md "mail bombing"): each kind has its own per-recipient budget, so that one
# kind never swallows another the person is waiting for (an activation mail does not hold back
# the reset mail asked for a minute later, nor the "already registered" notice of a second
# sign-up). Invitations and approvals are sent by authenticated staff and are not counted.
UNSOLICITED_BUDGETS: tuple[frozenset[str], ...] = (
    frozenset({"activation"}),
    frozenset({"password_reset"}),
    frozenset({"already_registered", "partner_request_received"}),
)


def budget_of(template: str) -> frozenset[str]:
    """The templates that share ``template``'s per-recipient budget."""
    for budget in UNSOLICITED_BUDGETS:
        if template in budget:
            return budget
    raise ValueError(f"{template!r} is not an unsolicited mail")


def make_message_id(message_uuid: object, public_url: str) -> str:
    host = urlsplit(public_url).hostname or "localhost"
    return f"<{message_uuid}@{host}>"


def _check_recipient(to: str) -> None:
    # Addresses are validated by the use cases; this is the last line against header injection.
    if not to or len(to) > 320 or "@" not in to or any(c.isspace() or c in "<>,;" for c in to):
        raise ValueError(f"not a single email address: {to!r}")


async def enqueue(
    session: AsyncSession,
    *,
    mail: Mail,
    to: str,
    public_url: str,
) -> OutboxMessage:
    """Render ``mail`` (one of ``mail/catalog.py``'s dataclasses; ``public_url`` is added here)
    for ``to`` and add it to the outbox (flushed, not committed). The message is sent only if the
    caller's transaction commits.
    """
    _check_recipient(to)
    template = mail.template
    rendered = render(template, {"public_url": public_url, **mail.context()})
    message_uuid = uuid7()
    row = OutboxMessage(
        id=message_uuid,
        message_id=make_message_id(message_uuid, public_url),
        template=template,
        recipient=to,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        status=OutboxStatus.PENDING,
        attempts=0,
        available_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    session.info[ENQUEUED_KEY] = True
    return row


def _advisory_key(to: str) -> int:
    # pg_advisory_xact_lock takes a signed 64-bit key.
    return int.from_bytes(hashlib.sha256(to.encode()).digest()[:8], "big", signed=True)


async def allow_to_recipient(
    session: AsyncSession,
    to: str,
    *,
    templates: frozenset[str],
    per_minute: int,
    per_day: int,
) -> bool:
    """The mail-bombing guard: may one more of ``templates`` (one budget, see ``budget_of``) go
    to ``to`` now?

    Intended use, in the use case's unit of work, right before ``enqueue``::

        if await allow_to_recipient(
            session, email, templates=budget_of("activation"),
            per_minute=settings.mail_per_recipient_per_minute,
            per_day=settings.mail_per_recipient_per_day,
        ):
            await enqueue(session, mail=ActivationMail(...), to=email, ...)
        # else: send nothing and answer exactly as if it was sent (silently; no enumeration).

    Pass ``to`` exactly as you pass it to ``enqueue`` (the normalized address): rows are counted
    by equality. The budget is shared by every template in ``templates``: repeating one kind of
    request, or alternating between sign-up forms, does not get past it. Rows count whatever
    their status, so a dead or pending mail spends budget too.

    On PostgreSQL a transaction-scoped advisory lock on the address serializes concurrent checks
    until the caller's transaction ends, so two simultaneous requests cannot both pass; on SQLite
    the unit of work already holds the write lock (``BEGIN IMMEDIATE``).
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(_advisory_key(to))))
    now = utcnow()
    minute_ago = now - timedelta(minutes=1)
    row = (
        await session.execute(
            select(
                func.count().filter(OutboxMessage.created_at >= minute_ago),
                func.count(),
            )
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.recipient == to,
                OutboxMessage.template.in_(templates),
                OutboxMessage.created_at >= now - timedelta(days=1),
            )
        )
    ).one()
    last_minute, last_day = int(row[0] or 0), int(row[1] or 0)
    return last_minute < per_minute and last_day < per_day
