"""Every query of the internal admin console."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.keyset import pages_by_parent
from db.models import (
    MailOptOut,
    Membership,
    Organization,
    PartnerMapping,
    StepPartnerCode,
    User,
)
from domain.enums import (
    OrganizationStatus,
    OrganizationType,
    PartnerMappingStatus,
    Role,
    UserStatus,
)
from kit.clock import utcnow
from kit.pagination import PageRequest


@dataclass(frozen=True, slots=True)
class OrganizationFilter:
    """``text`` matches part of the name (any case), of a member's email (stored lower case) or
    of a partner's STEP code (stored upper case); ``organization_id`` the id exactly (either may
    match). ``kind`` and ``status`` must hold."""

    text: str | None = None
    organization_id: uuid.UUID | None = None
    kind: OrganizationType | None = None
    status: OrganizationStatus | None = None


def _conditions(where: OrganizationFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Organization.deleted_at.is_(None)]
    matches: list[ColumnElement[bool]] = []
    if where.text:
        term = where.text.lower()
        member_email = exists().where(
            Membership.organization_id == Organization.id,
            User.id == Membership.user_id,
            User.email.contains(term, autoescape=True),
        )
        step_code = exists().where(
            StepPartnerCode.id == Organization.step_code_id,
            StepPartnerCode.code.contains(where.text.upper(), autoescape=True),
        )
        matches += [
            func.lower(Organization.name).contains(term, autoescape=True),
            member_email,
            step_code,
        ]
    if where.organization_id is not None:
        matches.append(Organization.id == where.organization_id)
    if matches:
        conditions.append(or_(*matches))
    if where.kind is not None:
        conditions.append(Organization.type == where.kind)
    if where.status is not None:
        conditions.append(Organization.status == where.status)
    return conditions


async def search_organizations(
    session: AsyncSession, where: OrganizationFilter, *, before: uuid.UUID | None, limit: int
) -> Sequence[Organization]:
    """Live organizations, newest first (keyset on the UUIDv7 id, ``id < before``)."""
    query = (
        select(Organization)
        .where(*_conditions(where))
        .order_by(Organization.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Organization.id < before)
    return (await session.scalars(query)).all()


async def count_organizations(session: AsyncSession, where: OrganizationFilter) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Organization).where(*_conditions(where))
    )
    return int(count or 0)


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


async def memberships_by_organization(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, PageRequest]]
) -> list[list[Membership]]:
    """One page of each organization's memberships, in the order joined (one statement per
    distinct page request)."""
    return await pages_by_parent(session, Membership, Membership.organization_id, keys)


async def mappings_by_customer(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, PageRequest]]
) -> list[list[PartnerMapping]]:
    """One page of each customer's partner mappings (ended ones too: the history), oldest
    first."""
    return await pages_by_parent(
        session, PartnerMapping, PartnerMapping.customer_organization_id, keys
    )


async def mappings_by_partner(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, PageRequest]]
) -> list[list[PartnerMapping]]:
    """The same for partners: every customer they support, were invited by or supported."""
    return await pages_by_parent(
        session, PartnerMapping, PartnerMapping.partner_organization_id, keys
    )


async def mapping_counts(
    session: AsyncSession, organization_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many mappings (any status) each organization has on either side."""
    found: dict[uuid.UUID, int] = {}
    for column in (
        PartnerMapping.customer_organization_id,
        PartnerMapping.partner_organization_id,
    ):
        rows = await session.execute(
            select(column, func.count()).where(column.in_(organization_ids)).group_by(column)
        )
        for organization_id, count in rows.all():
            found[organization_id] = found.get(organization_id, 0) + int(count)
    return found


# --- optional mail (domain/admin/notifications.py) ----------------------------------------------


async def admins_to_notify(session: AsyncSession, topic: str) -> Sequence[User]:
    """Active internal admins who have not opted out of ``topic``, oldest account first."""
    opted_out = exists().where(MailOptOut.user_id == User.id, MailOptOut.topic == topic)
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.role == Role.INTERNAL_ADMIN,
            User.status == UserStatus.ACTIVE,
            ~opted_out,
        )
        .order_by(User.id)
    )
    return (await session.scalars(query)).all()


async def opted_out(session: AsyncSession, user_id: uuid.UUID, topic: str) -> bool:
    row = await session.get(MailOptOut, (user_id, topic))
    return row is not None


async def set_opt_out(session: AsyncSession, user_id: uuid.UUID, topic: str, out: bool) -> bool:
    """Record the choice; True when it changed anything (a second tab saving the same choice at
    the same moment changes nothing: insert-or-ignore)."""
    if out:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        result = await session.execute(
            insert(MailOptOut)
            .values(user_id=user_id, topic=topic, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id", "topic"])
        )
    else:
        result = await session.execute(
            delete(MailOptOut).where(MailOptOut.user_id == user_id, MailOptOut.topic == topic)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]
