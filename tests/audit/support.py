"""Reading the audit log straight from the database, for tests of the actions that write it."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AuditEvent
from runtime import Services


async def audit_events(services: Services, action: str) -> list[AuditEvent]:
    """Every event of ``action``, oldest first."""
    async with services.db.read_session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list((await session.scalars(query)).all())
