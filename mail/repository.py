"""Every query of the outbox worker. Each function runs in the caller's unit of work.

Exactly-once rests on two rules: a row is claimed (``lease_owner``, ``leased_until``) in a write
transaction that no other claimer can interleave with (PostgreSQL: ``FOR UPDATE SKIP LOCKED``;
SQLite: ``BEGIN IMMEDIATE`` holds the database's write lock, so claims are serialized), and every
later change is conditional on still holding that lease.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Result, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from db.enums import OutboxStatus
from db.models import OutboxMessage
from mail.compose import OutgoingMail

_ERROR_LIMIT = 2000  # the column's length


def _rowcount(result: Result[Any]) -> int:
    # UPDATE and DELETE return a CursorResult; Session.execute is typed with the general Result.
    return int(cast(CursorResult[Any], result).rowcount)


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.available_at <= now,
        # Never leased, released, or leased by a worker that did not come back in time.
        or_(OutboxMessage.leased_until.is_(None), OutboxMessage.leased_until < now),
    )


async def claim(
    session: AsyncSession, *, owner: str, limit: int, lease: timedelta, now: datetime
) -> list[OutgoingMail]:
    """Lease up to ``limit`` due messages, oldest first, to ``owner``."""
    rows = (
        await session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.message_id,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.text_body,
                OutboxMessage.html_body,
                OutboxMessage.created_at,
                OutboxMessage.attempts,
            )
            .where(_due(now))
            .order_by(OutboxMessage.available_at, OutboxMessage.id)
            .limit(limit)
            # Rows another worker is claiming right now are skipped, not waited for. On SQLite
            # SQLAlchemy omits the clause; the write lock already serializes claimers.
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not rows:
        return []
    leased_until = now + lease
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([row.id for row in rows]))
        .values(leased_until=leased_until, lease_owner=owner)
        .execution_options(synchronize_session=False)
    )
    return [
        OutgoingMail(
            id=row.id,
            message_id=row.message_id,
            recipient=row.recipient,
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            created_at=row.created_at,
            attempts=row.attempts,
            leased_until=leased_until,
        )
        for row in rows
    ]


def _held(message_id: uuid.UUID, owner: str) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.id == message_id,
        OutboxMessage.lease_owner == owner,
        OutboxMessage.status == OutboxStatus.PENDING,
    )


async def renew(
    session: AsyncSession,
    *,
    owner: str,
    ids: Sequence[uuid.UUID],
    lease: timedelta,
    now: datetime,
) -> set[uuid.UUID]:
    """Extend the lease on those of ``ids`` this owner still holds; return them."""
    if not ids:
        return set()
    held = (
        await session.scalars(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(list(ids)),
                OutboxMessage.lease_owner == owner,
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.leased_until >= now,
            )
            .values(leased_until=now + lease)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    return set(held)


async def mark_sent(
    session: AsyncSession,
    *,
    owner: str,
    ids: Sequence[uuid.UUID],
    now: datetime,
    scrub: bool,
) -> set[uuid.UUID]:
    """SENT, for those of ``ids`` whose lease is still ours; returns them. With ``scrub`` the
    bodies are wiped: they hold activation codes and reset links, which must not outlive their
    delivery in clear text (SECURITY.md: codes are stored only as hashes). Subject, recipient
    and times stay for the mail-bombing guard and for support."""
    if not ids:
        return set()
    values: dict[str, object] = {
        "status": OutboxStatus.SENT,
        "sent_at": now,
        # The lease guarantees nobody else changed the count since we claimed the row.
        "attempts": OutboxMessage.attempts + 1,
        "leased_until": None,
        "lease_owner": None,
        "last_error": None,
    }
    if scrub:
        values.update(text_body="", html_body="")
    held = await session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(list(ids)),
            OutboxMessage.lease_owner == owner,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(**values)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return set(held.all())


async def mark_failed(
    session: AsyncSession,
    *,
    owner: str,
    message: OutgoingMail,
    error: str,
    retry_at: datetime | None,
) -> bool:
    """One more failed attempt: back to PENDING until ``retry_at``, or DEAD when it is None."""
    values: dict[str, object] = {
        "attempts": message.attempts + 1,
        "last_error": error[:_ERROR_LIMIT],
        "leased_until": None,
        "lease_owner": None,
    }
    if retry_at is None:
        values["status"] = OutboxStatus.DEAD
    else:
        values["available_at"] = retry_at
    result = await session.execute(
        update(OutboxMessage)
        .where(_held(message.id, owner))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) > 0


async def release(
    session: AsyncSession,
    *,
    owner: str,
    ids: Sequence[uuid.UUID] | None = None,
    error: str | None = None,
    available_at: datetime | None = None,
) -> int:
    """Give leases back without spending an attempt (stopping, or the relay is unreachable).
    ``ids=None`` releases everything this owner holds."""
    conditions = [
        OutboxMessage.lease_owner == owner,
        OutboxMessage.status == OutboxStatus.PENDING,
    ]
    if ids is not None:
        if not ids:
            return 0
        conditions.append(OutboxMessage.id.in_(list(ids)))
    values: dict[str, object] = {"leased_until": None, "lease_owner": None}
    if error is not None:
        values["last_error"] = error[:_ERROR_LIMIT]
    if available_at is not None:
        values["available_at"] = available_at
    result = await session.execute(
        update(OutboxMessage)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def purge(session: AsyncSession, *, before: datetime) -> int:
    """Delete finished (SENT or DEAD) messages created before ``before``."""
    result = await session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.DEAD]),
            OutboxMessage.created_at < before,
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)
