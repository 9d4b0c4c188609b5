"""Every query of time-bound partner access: the grant on the mapping, extension requests, the
people each side's mail goes to, and the grants whose expiry notices are due."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, PartnerAccessExtension, PartnerMapping, User
from domain.enums import (
    PartnerAccessExtensionStatus,
    PartnerAccessNotice,
    PartnerMappingStatus,
    Role,
    UserStatus,
)


async def update_grant(
    session: AsyncSession, mapping_id: uuid.UUID, values: dict[str, Any]
) -> None:
    await session.execute(
        update(PartnerMapping)
        .where(PartnerMapping.id == mapping_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def add_extension(session: AsyncSession, extension: PartnerAccessExtension) -> bool:
    """Insert in a savepoint; False when the mapping already has a pending request (the partial
    unique index decided, also against a concurrent one)."""
    try:
        async with session.begin_nested():
            session.add(extension)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def pending_extension(
    session: AsyncSession, mapping_id: uuid.UUID, *, for_update: bool = False
) -> PartnerAccessExtension | None:
    query = (
        select(PartnerAccessExtension)
        .where(
            PartnerAccessExtension.mapping_id == mapping_id,
            PartnerAccessExtension.status == PartnerAccessExtensionStatus.PENDING,
        )
        .execution_options(populate_existing=True)
    )
    if for_update:
        query = query.with_for_update()
    result: PartnerAccessExtension | None = await session.scalar(query)
    return result


async def pending_extensions(
    session: AsyncSession, mapping_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, PartnerAccessExtension]:
    """The pending request of each mapping that has one (one statement for a page)."""
    rows = await session.scalars(
        select(PartnerAccessExtension).where(
            PartnerAccessExtension.mapping_id.in_(mapping_ids),
            PartnerAccessExtension.status == PartnerAccessExtensionStatus.PENDING,
        )
    )
    return {row.mapping_id: row for row in rows.all()}


async def last_declined_at(session: AsyncSession, mapping_id: uuid.UUID) -> datetime | None:
    answered: datetime | None = await session.scalar(
        select(PartnerAccessExtension.answered_at)
        .where(
            PartnerAccessExtension.mapping_id == mapping_id,
            PartnerAccessExtension.status == PartnerAccessExtensionStatus.DECLINED,
        )
        .order_by(PartnerAccessExtension.answered_at.desc())
        .limit(1)
    )
    return answered


async def settle_extension(
    session: AsyncSession,
    extension_id: uuid.UUID,
    status: PartnerAccessExtensionStatus,
    by: uuid.UUID | None,
    now: datetime,
) -> bool:
    """Answer a pending request; True for the one transaction that did."""
    result = await session.execute(
        update(PartnerAccessExtension)
        .where(
            PartnerAccessExtension.id == extension_id,
            PartnerAccessExtension.status == PartnerAccessExtensionStatus.PENDING,
        )
        .values(status=status, answered_at=now, answered_by_id=by)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def active_members(
    session: AsyncSession, organization_id: uuid.UUID, roles: Collection[Role]
) -> Sequence[User]:
    """The organization's active members with one of ``roles``, oldest membership first."""
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.role.in_(list(roles)),
            User.status == UserStatus.ACTIVE,
        )
        .order_by(Membership.created_at, Membership.id)
    )
    return rows.all()


async def grants_due(
    session: AsyncSession, *, now: datetime, limit: int
) -> Sequence[PartnerMapping]:
    """ACTIVE mappings whose next notice is due — ended and not yet recorded, ending within 7
    days without the 7-day notice, within 30 without any — soonest first (index
    ``ix_partner_mapping_access_expires_at``). Only those: a pass is never filled with grants
    already told."""
    ends = PartnerMapping.access_expires_at
    notice = PartnerMapping.access_notice
    rows = await session.scalars(
        select(PartnerMapping)
        .where(
            PartnerMapping.status == PartnerMappingStatus.ACTIVE,
            ends < now + timedelta(days=30),
            or_(
                and_(ends <= now, notice != PartnerAccessNotice.EXPIRED),
                and_(
                    ends <= now + timedelta(days=7),
                    notice.in_([PartnerAccessNotice.NONE, PartnerAccessNotice.DAYS_30]),
                ),
                notice == PartnerAccessNotice.NONE,
            ),
        )
        .order_by(ends, PartnerMapping.id)
        .limit(limit)
    )
    return rows.all()


async def mark_notice(
    session: AsyncSession,
    mapping_id: uuid.UUID,
    *,
    was: PartnerAccessNotice,
    expires_at: datetime,
    notice: PartnerAccessNotice,
) -> bool:
    """Move the mapping's notice on from ``was`` for the grant ending at ``expires_at``; True for
    the one process that did (several run the pass; a grant changed meanwhile is left alone)."""
    result = await session.execute(
        update(PartnerMapping)
        .where(
            PartnerMapping.id == mapping_id,
            PartnerMapping.access_notice == was,
            PartnerMapping.access_expires_at == expires_at,
        )
        .values(access_notice=notice)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
