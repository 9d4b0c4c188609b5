"""Every query of the audit log: storing an event, reading pages of them.

Pages run newest first by the UUIDv7 id alone (keyset: ``id < cursor``), each filter served by an
index: ``(organization_id, id)``, ``(action, id)``, ``(actor_user_id, id)``. A time range becomes
an id range too — a UUIDv7 starts with its millisecond timestamp — widened by a minute of slack,
because an event's id and ``occurred_at`` are set a moment apart; the exact ``occurred_at``
condition then decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEvent

_SLACK = timedelta(minutes=1)

# One prebuilt INSERT, run with a row of domain.audit.service.entry: by ``add_event`` below, and
# directly on the connection by the synchronous paths (db/sync.py) — on a hot path (the login)
# building ORM objects costs more than SQLite takes to store them.
INSERT_EVENT = insert(AuditEvent)


async def add_event(session: AsyncSession, row: dict[str, Any]) -> None:
    """Store one event in the caller's transaction, after what it has pending (flushed first, so
    an event may name a row added a moment ago)."""
    await session.flush()
    connection = await session.connection()
    await connection.execute(INSERT_EVENT, row)


def _id_at(moment: datetime) -> uuid.UUID:
    """The smallest UUIDv7 of ``moment``'s millisecond (every id made then or later is larger)."""
    milliseconds = max(0, int(moment.timestamp() * 1000))
    return uuid.UUID(int=(milliseconds & ((1 << 48) - 1)) << 80)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """All given criteria must hold; ``organization_id`` None means every organization (and
    events of no organization) — for internal admins only, decided by the caller."""

    organization_id: uuid.UUID | None = None
    actions: Collection[str] | None = None
    actor_user_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None


def _criteria(where: EventFilter) -> list[ColumnElement[bool]]:
    criteria: list[ColumnElement[bool]] = []
    if where.organization_id is not None:
        criteria.append(AuditEvent.organization_id == where.organization_id)
    if where.actions is not None:
        criteria.append(AuditEvent.action.in_(list(where.actions)))
    if where.actor_user_id is not None:
        criteria.append(AuditEvent.actor_user_id == where.actor_user_id)
    if where.since is not None:
        criteria += [
            AuditEvent.id >= _id_at(where.since - _SLACK),
            AuditEvent.occurred_at >= where.since,
        ]
    if where.until is not None:
        criteria += [
            AuditEvent.id < _id_at(where.until + _SLACK),
            AuditEvent.occurred_at < where.until,
        ]
    return criteria


async def list_events(
    session: AsyncSession, where: EventFilter, *, before: uuid.UUID | None, limit: int
) -> Sequence[AuditEvent]:
    """Newest first; ``before`` is the last id of the previous page."""
    query = select(AuditEvent).where(*_criteria(where)).order_by(AuditEvent.id.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return (await session.scalars(query)).all()


async def count_events(session: AsyncSession, where: EventFilter) -> int:
    count = await session.scalar(
        select(func.count()).select_from(AuditEvent).where(*_criteria(where))
    )
    return int(count or 0)
