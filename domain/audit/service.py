"""Recording audit events: inside the caller's transaction, so the log and the change agree."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEvent
from domain.context import RequestMeta


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
    """Append one event. ``action`` is a dotted verb such as ``account.activated``."""
    event = AuditEvent(
        action=action,
        actor_user_id=actor_user_id,
        actor_email=actor_email,
        organization_id=organization_id,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        client_address=meta.client_address if meta else None,
        user_agent=meta.user_agent if meta else None,
        request_id=meta.request_id if meta else None,
        details=details or {},
    )
    session.add(event)
    await session.flush()
    return event
