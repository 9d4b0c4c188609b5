"""Every query of the internal admin console."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, Organization, PartnerMapping, User
from domain.enums import OrganizationStatus, OrganizationType, PartnerMappingStatus, Role


async def search_organizations(
    session: AsyncSession,
    *,
    name_or_email: str | None,
    organization_id: uuid.UUID | None,
    kind: OrganizationType | None,
    status: OrganizationStatus | None,
    before: uuid.UUID | None,
    limit: int,
) -> Sequence[Organization]:
    """Live organizations, newest first (keyset on the UUIDv7 id, ``id < before``).

    ``name_or_email`` matches part of the name (any case) or part of a member's email (stored
    lower case); ``organization_id`` matches the id exactly. Given both, either may match.
    """
    query = (
        select(Organization)
        .where(Organization.deleted_at.is_(None))
        .order_by(Organization.id.desc())
        .limit(limit)
    )
    matches: list[Any] = []
    if name_or_email:
        term = name_or_email.lower()
        member_email = exists().where(
            and_(
                Membership.organization_id == Organization.id,
                User.id == Membership.user_id,
                User.email.contains(term, autoescape=True),
            )
        )
        matches += [func.lower(Organization.name).contains(term, autoescape=True), member_email]
    if organization_id is not None:
        matches.append(Organization.id == organization_id)
    if matches:
        query = query.where(or_(*matches))
    if kind is not None:
        query = query.where(Organization.type == kind)
    if status is not None:
        query = query.where(Organization.status == status)
    if before is not None:
        query = query.where(Organization.id < before)
    return (await session.scalars(query)).all()


async def lock_live_organization(
    session: AsyncSession, organization_id: uuid.UUID
) -> Organization | None:
    result: Organization | None = await session.scalar(
        select(Organization)
        .where(Organization.id == organization_id, Organization.deleted_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result


async def suspend(
    session: AsyncSession, organization_id: uuid.UUID, *, reason: str, now: datetime
) -> bool:
    """SUSPENDED unless it already is; True for the transaction that changed it."""
    result = await session.execute(
        update(Organization)
        .where(
            Organization.id == organization_id,
            Organization.status != OrganizationStatus.SUSPENDED,
        )
        .values(status=OrganizationStatus.SUSPENDED, suspended_at=now, suspended_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def reactivate(
    session: AsyncSession, organization_id: uuid.UUID, *, status: OrganizationStatus
) -> bool:
    """Back to ``status`` if suspended; True for the transaction that changed it."""
    result = await session.execute(
        update(Organization)
        .where(
            Organization.id == organization_id,
            Organization.status == OrganizationStatus.SUSPENDED,
        )
        .values(status=status, suspended_at=None, suspended_reason=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


# --- batches for the DataLoaders ---------------------------------------------------------------


async def member_counts(
    session: AsyncSession, organization_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(Membership.organization_id, func.count())
        .where(Membership.organization_id.in_(organization_ids))
        .group_by(Membership.organization_id)
    )
    return {row[0]: int(row[1]) for row in rows.all()}


async def customer_counts(
    session: AsyncSession, partner_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many customers each partner supports now (ACTIVE mappings)."""
    rows = await session.execute(
        select(PartnerMapping.partner_organization_id, func.count())
        .where(
            PartnerMapping.partner_organization_id.in_(partner_ids),
            PartnerMapping.status == PartnerMappingStatus.ACTIVE,
        )
        .group_by(PartnerMapping.partner_organization_id)
    )
    return {row[0]: int(row[1]) for row in rows.all()}


async def super_admins(
    session: AsyncSession, organization_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, User]:
    rows = await session.execute(
        select(Membership.organization_id, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organization_id.in_(organization_ids),
            Membership.role == Role.SUPER_ADMIN,
        )
    )
    return {row[0]: row[1] for row in rows.all()}
