"""Writing to the outbox: inside the caller's transaction, so a rollback sends nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import OutboxMessage
from domain.enums import OutboxStatus
from kit.clock import utcnow
from kit.ids import uuid7
from mail.messages import render


def make_message_id(message_uuid: object, public_url: str) -> str:
    from urllib.parse import urlsplit

    host = urlsplit(public_url).hostname or "localhost"
    return f"<{message_uuid}@{host}>"


async def enqueue(
    session: AsyncSession,
    *,
    template: str,
    to: str,
    context: dict[str, Any],
    public_url: str,
) -> OutboxMessage:
    """Render ``template`` for ``to`` and add it to the outbox (flushed, not committed)."""
    rendered = render(template, {"public_url": public_url, **context})
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
    return row


async def recent_count(
    session: AsyncSession, *, to: str, templates: frozenset[str], within: timedelta
) -> int:
    """How many of these templates went (or will go) to ``to`` lately: the mail-bombing guard.

    Counted in the database so that every process sees the same numbers.
    """
    since = utcnow() - within
    count = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.recipient == to,
            OutboxMessage.template.in_(templates),
            OutboxMessage.created_at >= since,
        )
    )
    return int(count or 0)
