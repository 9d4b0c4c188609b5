"""Recording audit events: inside the caller's transaction, so the log and the change agree."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import AuditEvent
from domain.context import RequestMeta
from domain.webhooks.outbox import enqueue_for_event
from kit.clock import utcnow
from kit.ids import uuid7


def event_values(
    action: str,
    *,
    meta: RequestMeta | None,
    actor_user_id: uuid.UUID | None = None,
    actor_email: str | None = None,
    organization_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: uuid.UUID | str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The columns of one event. ``action`` is a dotted verb such as ``account.activated``."""
    return {
        "action": action,
        "actor_user_id": actor_user_id,
        "actor_email": actor_email,
        "organization_id": organization_id,
        "target_type": target_type,
        "target_id": str(target_id) if target_id is not None else None,
        "client_address": meta.client_address if meta else None,
        "user_agent": meta.user_agent if meta else None,
        "request_id": meta.request_id if meta else None,
        "details": details or {},
    }


_INSERT_EVENT = insert(AuditEvent)


async def record(
    session: AsyncSession,
    action: str,
    *,
    meta: RequestMeta | None,
    actor_user_id: uuid.UUID | None = None,
    actor_email: str | None = None,
    organization_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: uuid.UUID | str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the caller's transaction."""
    event = AuditEvent(
        **event_values(
            action,
            meta=meta,
            actor_user_id=actor_user_id,
            actor_email=actor_email,
            organization_id=organization_id,
            target_type=target_type,
            target_id=target_id,
            details=details,
        )
    )
    session.add(event)
    await session.flush()
    # The catalogue's events also go to the organization's webhook endpoints, in this same
    # transaction (the webhook outbox: domain/webhooks/outbox.py).
    await enqueue_for_event(session, event)
    return event


def record_sync(
    session: Session,
    action: str,
    *,
    meta: RequestMeta | None,
    actor_user_id: uuid.UUID | None = None,
    actor_email: str | None = None,
    organization_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: uuid.UUID | str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """The same for synchronous work (db/sync.py), as one prebuilt INSERT: on a hot path (the
    login) building ORM objects costs more than SQLite takes to store them."""
    values = event_values(
        action,
        meta=meta,
        actor_user_id=actor_user_id,
        actor_email=actor_email,
        organization_id=organization_id,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    session.connection().execute(_INSERT_EVENT, {"id": uuid7(), "occurred_at": utcnow(), **values})


def record_account_sync(
    session: Session,
    action: str,
    *,
    user_id: uuid.UUID,
    email: str | None,
    meta: RequestMeta | None,
    details: dict[str, Any] | None = None,
) -> None:
    """An event an account causes about itself (its logins, its own two-factor settings): the
    account is actor and target. Such events belong to no organization (an account may be in
    several): internal admins read them."""
    record_sync(
        session,
        action,
        meta=meta,
        actor_user_id=user_id,
        actor_email=email,
        target_type="user",
        target_id=user_id,
        details=details,
    )
