"""Every query of the organizations area."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ConsentRecord, Organization
from domain.enums import OrganizationType


async def serialize_internal_organization_creation(session: AsyncSession) -> None:
    """Two create-admin runs at once must not make two INTERNAL organizations. PostgreSQL: a
    transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE already serializes writers."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('internal-organization'))")
        )


async def internal_organization(session: AsyncSession) -> Organization | None:
    result: Organization | None = await session.scalar(
        select(Organization)
        .where(Organization.type == OrganizationType.INTERNAL)
        .order_by(Organization.id)
        .limit(1)
    )
    return result


async def attach_consents(
    session: AsyncSession,
    *,
    partner_request_id: uuid.UUID,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
) -> None:
    await session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.partner_request_id == partner_request_id)
        .values(user_id=user_id, organization_id=organization_id)
    )
