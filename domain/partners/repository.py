"""Every query of the partners area: STEP codes, partner requests, partner-customer mappings,
technician assignments, and time-bound access (the grant, extension requests, expiry notices).

Races end one way through the database: the partial unique index
``uq_partner_mapping_one_per_customer`` keeps one non-ended mapping per customer, status changes
are conditional UPDATEs (``… WHERE status = 'INVITED'``, ``… WHERE status = 'PENDING'``) whose row
count names the winner, and ``technician_assignment``'s unique (mapping, user) makes a repeated
assignment a no-op.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.keyset import pages_by_parent
from db.models import (
    Location,
    Membership,
    Organization,
    PartnerAccessExtension,
    PartnerMapping,
    PartnerRequest,
    StepPartnerCode,
    TechnicianAssignment,
    User,
)
from db.savepoint import add_in_savepoint
from domain.enums import (
    OrganizationStatus,
    OrganizationType,
    PartnerAccessExtensionStatus,
    PartnerAccessNotice,
    PartnerMappingStatus,
    PartnerRequestStatus,
    Role,
    StepCodeStatus,
    UserStatus,
)
from kit.pagination import PageRequest


async def step_code_by_value(session: AsyncSession, code: str) -> StepPartnerCode | None:
    result: StepPartnerCode | None = await session.scalar(
        select(StepPartnerCode).where(StepPartnerCode.code == code)
    )
    return result


async def existing_step_codes(session: AsyncSession, codes: Collection[str]) -> set[str]:
    found: set[str] = set()
    values = list(codes)
    for start in range(0, len(values), 500):  # bounded IN lists
        chunk = values[start : start + 500]
        found.update(
            await session.scalars(
                select(StepPartnerCode.code).where(StepPartnerCode.code.in_(chunk))
            )
        )
    return found


async def step_code_in_use(session: AsyncSession, code_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Organization.id).where(Organization.step_code_id == code_id).limit(1)
    )
    return found is not None


async def request_by_id(session: AsyncSession, request_id: uuid.UUID) -> PartnerRequest | None:
    result: PartnerRequest | None = await session.scalar(
        select(PartnerRequest)
        .where(PartnerRequest.id == request_id)
        .execution_options(populate_existing=True)
    )
    return result


async def pending_request_exists(session: AsyncSession, *, email: str, code_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(PartnerRequest.id)
        .where(
            PartnerRequest.contact_email == email,
            PartnerRequest.step_code_id == code_id,
            PartnerRequest.status == PartnerRequestStatus.PENDING,
        )
        .limit(1)
    )
    return found is not None


async def mark_reviewed(
    session: AsyncSession,
    request_id: uuid.UUID,
    *,
    status: PartnerRequestStatus,
    reviewer_id: uuid.UUID,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Review a pending request. The ``status = 'PENDING'`` condition makes racing reviews end
    one way: on PostgreSQL the later UPDATEs wait for the first one's row lock, re-read the row
    when it commits and match nothing; on SQLite writers are serialized. True for the winner."""
    result = await session.execute(
        update(PartnerRequest)
        .where(
            PartnerRequest.id == request_id,
            PartnerRequest.status == PartnerRequestStatus.PENDING,
        )
        .values(status=status, reviewed_by_id=reviewer_id, reviewed_at=now, reason=reason)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def set_request_organization(
    session: AsyncSession, request_id: uuid.UUID, organization_id: uuid.UUID
) -> None:
    await session.execute(
        update(PartnerRequest)
        .where(PartnerRequest.id == request_id)
        .values(organization_id=organization_id)
        .execution_options(synchronize_session=False)
    )


async def list_requests(
    session: AsyncSession,
    *,
    status: PartnerRequestStatus | None,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[PartnerRequest]:
    """Oldest first — the order a review queue is worked in — by the UUIDv7 id alone."""
    query = select(PartnerRequest).order_by(PartnerRequest.id).limit(limit)
    if status is not None:
        query = query.where(PartnerRequest.status == status)
    if after is not None:
        query = query.where(PartnerRequest.id > after)
    return (await session.scalars(query)).all()


def _mapped_customers(
    partner_organization_id: uuid.UUID, search: str | None
) -> list[ColumnElement[bool]]:
    criteria = [
        PartnerMapping.partner_organization_id == partner_organization_id,
        PartnerMapping.status == PartnerMappingStatus.ACTIVE,
        Organization.deleted_at.is_(None),
    ]
    if search:
        criteria.append(func.lower(Organization.name).contains(search.lower(), autoescape=True))
    return criteria


async def list_mapped_customers(
    session: AsyncSession,
    partner_organization_id: uuid.UUID,
    *,
    search: str | None,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[tuple[PartnerMapping, Organization, datetime | None]]:
    """The partner's active mappings with their customer organizations and the end date of the
    partner's pending extension request (if any), oldest mapping first (keyset on the mapping's
    UUIDv7 id); ``search`` matches the customer's name, any case."""
    query = (
        select(PartnerMapping, Organization, PartnerAccessExtension.requested_until)
        .join(Organization, Organization.id == PartnerMapping.customer_organization_id)
        .outerjoin(
            PartnerAccessExtension,
            and_(
                PartnerAccessExtension.mapping_id == PartnerMapping.id,
                PartnerAccessExtension.status == PartnerAccessExtensionStatus.PENDING,
            ),
        )
        .where(*_mapped_customers(partner_organization_id, search))
        .order_by(PartnerMapping.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(PartnerMapping.id > after)
    return [(row[0], row[1], row[2]) for row in (await session.execute(query)).all()]


async def mapped_customer(
    session: AsyncSession, partner_organization_id: uuid.UUID, customer_id: uuid.UUID
) -> tuple[PartnerMapping, Organization, datetime | None] | None:
    """One of the partner's active customers (as ``list_mapped_customers`` lists it), or None."""
    row = (
        await session.execute(
            select(PartnerMapping, Organization, PartnerAccessExtension.requested_until)
            .join(Organization, Organization.id == PartnerMapping.customer_organization_id)
            .outerjoin(
                PartnerAccessExtension,
                and_(
                    PartnerAccessExtension.mapping_id == PartnerMapping.id,
                    PartnerAccessExtension.status == PartnerAccessExtensionStatus.PENDING,
                ),
            )
            .where(
                *_mapped_customers(partner_organization_id, None),
                PartnerMapping.customer_organization_id == customer_id,
            )
        )
    ).first()
    return (row[0], row[1], row[2]) if row is not None else None


async def count_mapped_customers(
    session: AsyncSession, partner_organization_id: uuid.UUID, *, search: str | None
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(PartnerMapping)
        .join(Organization, Organization.id == PartnerMapping.customer_organization_id)
        .where(*_mapped_customers(partner_organization_id, search))
    )
    return int(count or 0)


# --- the STEP code registry, for internal admins -------------------------------------------------


def _step_code_conditions(
    search: str | None, status: StepCodeStatus | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if search:
        conditions.append(
            or_(
                StepPartnerCode.code.contains(search.upper(), autoescape=True),
                func.lower(StepPartnerCode.company).contains(search.lower(), autoescape=True),
            )
        )
    if status is not None:
        conditions.append(StepPartnerCode.status == status)
    return conditions


async def list_step_codes(
    session: AsyncSession,
    *,
    search: str | None,
    status: StepCodeStatus | None,
    before: uuid.UUID | None,
    limit: int,
) -> Sequence[StepPartnerCode]:
    """Newest first (keyset on the UUIDv7 id); ``search`` matches part of the code (stored upper
    case) or of the company's name (any case)."""
    query = (
        select(StepPartnerCode)
        .where(*_step_code_conditions(search, status))
        .order_by(StepPartnerCode.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(StepPartnerCode.id < before)
    return (await session.scalars(query)).all()


async def count_step_codes(
    session: AsyncSession, *, search: str | None, status: StepCodeStatus | None
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(StepPartnerCode)
        .where(*_step_code_conditions(search, status))
    )
    return int(count or 0)


async def lock_step_code(session: AsyncSession, code_id: uuid.UUID) -> StepPartnerCode | None:
    """The code's row under ``FOR UPDATE`` (an approval using it waits, or we wait for it)."""
    result: StepPartnerCode | None = await session.scalar(
        select(StepPartnerCode)
        .where(StepPartnerCode.id == code_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result


async def revoke_step_code(session: AsyncSession, code_id: uuid.UUID) -> bool:
    result = await session.execute(
        update(StepPartnerCode)
        .where(StepPartnerCode.id == code_id, StepPartnerCode.status == StepCodeStatus.ACTIVE)
        .values(status=StepCodeStatus.REVOKED)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def add_step_codes(session: AsyncSession, codes: Sequence[StepPartnerCode]) -> bool:
    """Insert in a savepoint; False when a code is already there (also concurrently)."""
    return await add_in_savepoint(session, *codes)


async def organizations_by_step_code(
    session: AsyncSession, code_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Organization]:
    """The partner organization each code made (``organization.step_code_id`` is unique)."""
    rows = await session.scalars(
        select(Organization).where(Organization.step_code_id.in_(code_ids))
    )
    return {org.step_code_id: org for org in rows.all() if org.step_code_id is not None}


# --- mappings and technician assignments ----------------------------------------------------------


async def active_partner_by_code(session: AsyncSession, code: str) -> Organization | None:
    """The partner organization made from this STEP code, if both are in good standing: the code
    not revoked, the organization active (activated, not suspended, not deleted)."""
    result: Organization | None = await session.scalar(
        select(Organization)
        .join(StepPartnerCode, StepPartnerCode.id == Organization.step_code_id)
        .where(
            StepPartnerCode.code == code,
            StepPartnerCode.status == StepCodeStatus.ACTIVE,
            Organization.type == OrganizationType.PARTNER,
            Organization.status == OrganizationStatus.ACTIVE,
            Organization.deleted_at.is_(None),
        )
    )
    return result


async def live_organization(
    session: AsyncSession, organization_id: uuid.UUID
) -> Organization | None:
    result: Organization | None = await session.scalar(
        select(Organization).where(
            Organization.id == organization_id, Organization.deleted_at.is_(None)
        )
    )
    return result


async def add_mapping(session: AsyncSession, mapping: PartnerMapping) -> bool:
    """Insert in a savepoint; False when the customer already has a non-ended mapping (the
    partial unique index decided, also against a concurrent insert)."""
    return await add_in_savepoint(session, mapping)


async def mapping_by_id(
    session: AsyncSession, mapping_id: uuid.UUID, *, for_update: bool = False
) -> PartnerMapping | None:
    query = (
        select(PartnerMapping)
        .where(PartnerMapping.id == mapping_id)
        .execution_options(populate_existing=True)
    )
    if for_update:
        query = query.with_for_update()
    result: PartnerMapping | None = await session.scalar(query)
    return result


async def current_mapping_of_customer(
    session: AsyncSession, customer_id: uuid.UUID, *, for_update: bool = False
) -> PartnerMapping | None:
    """The customer's mapping that has not ended (INVITED or ACTIVE): at most one."""
    query = select(PartnerMapping).where(
        PartnerMapping.customer_organization_id == customer_id,
        PartnerMapping.status != PartnerMappingStatus.ENDED,
    )
    if for_update:
        query = query.with_for_update()
    result: PartnerMapping | None = await session.scalar(query)
    return result


async def change_status(
    session: AsyncSession,
    mapping_id: uuid.UUID,
    *,
    from_statuses: Collection[PartnerMappingStatus],
    values: dict[str, Any],
) -> bool:
    """Move the mapping on from one of ``from_statuses``; True for the one transaction that did
    (on PostgreSQL a racing UPDATE waits for the row lock and then matches nothing)."""
    result = await session.execute(
        update(PartnerMapping)
        .where(PartnerMapping.id == mapping_id, PartnerMapping.status.in_(list(from_statuses)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def is_member(session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Membership.id).where(
            Membership.organization_id == organization_id, Membership.user_id == user_id
        )
    )
    return found is not None


async def add_assignment(
    session: AsyncSession, mapping_id: uuid.UUID, user_id: uuid.UUID, assigned_by: uuid.UUID
) -> TechnicianAssignment | None:
    """The new assignment, or None when the person was already assigned (also concurrently)."""
    assignment = TechnicianAssignment(
        mapping_id=mapping_id, user_id=user_id, assigned_by_id=assigned_by
    )
    return assignment if await add_in_savepoint(session, assignment) else None


async def assignment_of(
    session: AsyncSession, mapping_id: uuid.UUID, user_id: uuid.UUID
) -> TechnicianAssignment | None:
    result: TechnicianAssignment | None = await session.scalar(
        select(TechnicianAssignment).where(
            TechnicianAssignment.mapping_id == mapping_id,
            TechnicianAssignment.user_id == user_id,
        )
    )
    return result


async def delete_assignment(
    session: AsyncSession, mapping_id: uuid.UUID, user_id: uuid.UUID
) -> bool:
    result = await session.execute(
        delete(TechnicianAssignment)
        .where(
            TechnicianAssignment.mapping_id == mapping_id,
            TechnicianAssignment.user_id == user_id,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _invitations_of(partner_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [
        PartnerMapping.partner_organization_id == partner_id,
        PartnerMapping.status == PartnerMappingStatus.INVITED,
        Organization.deleted_at.is_(None),
    ]


async def list_invitations_of_partner(
    session: AsyncSession,
    partner_id: uuid.UUID,
    *,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[PartnerMapping]:
    """The partner's pending invitations (INVITED mappings), oldest first, by the mapping's id
    (index ``ix_partner_mapping_partner_status_id``)."""
    query = (
        select(PartnerMapping)
        .join(Organization, Organization.id == PartnerMapping.customer_organization_id)
        .where(*_invitations_of(partner_id))
        .order_by(PartnerMapping.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(PartnerMapping.id > after)
    return (await session.scalars(query)).all()


async def count_invitations_of_partner(session: AsyncSession, partner_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(PartnerMapping)
        .join(Organization, Organization.id == PartnerMapping.customer_organization_id)
        .where(*_invitations_of(partner_id))
    )
    return int(count or 0)


# --- time-bound access: the grant, extension requests, expiry notices (domain.partners.access) -----


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
    """False when the mapping already has a pending request (the partial unique index decided,
    also against a concurrent one)."""
    return await add_in_savepoint(session, extension)


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


# --- batches for the DataLoaders ---------------------------------------------------------------


async def location_counts(
    session: AsyncSession, organization_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many locations each organization has: one grouped query over the given ids only
    (index ``ix_location_organization_id_id``)."""
    rows = await session.execute(
        select(Location.organization_id, func.count())
        .where(Location.organization_id.in_(organization_ids))
        .group_by(Location.organization_id)
    )
    return {row[0]: int(row[1]) for row in rows.all()}


def _still_staff() -> ColumnElement[bool]:
    """The assigned person is still on the partner's staff: assignments of people who left reach
    nothing (domain.authz.repository) and are not shown.

    One EXISTS over membership and the mapping, correlated to the assignment row. (A scalar
    subquery for the mapping's partner nested inside the EXISTS would not correlate to the
    assignment: it selected every assignment's partner — an error on PostgreSQL and a wrong
    answer on SQLite as soon as there were two assignments.)
    """
    mapping = aliased(PartnerMapping)  # never correlated to a mapping of the outer query
    return exists().where(
        and_(
            Membership.user_id == TechnicianAssignment.user_id,
            mapping.id == TechnicianAssignment.mapping_id,
            Membership.organization_id == mapping.partner_organization_id,
        )
    )


async def technicians_by_mapping(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, PageRequest]]
) -> list[list[TechnicianAssignment]]:
    """One page of each mapping's technicians, oldest assignment first, in one statement per
    distinct page request (``db.keyset.pages_by_parent``: a window caps every mapping's rows)."""
    return await pages_by_parent(
        session, TechnicianAssignment, TechnicianAssignment.mapping_id, keys, _still_staff()
    )


async def technician_counts(
    session: AsyncSession, mapping_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(TechnicianAssignment.mapping_id, func.count())
        .where(TechnicianAssignment.mapping_id.in_(mapping_ids), _still_staff())
        .group_by(TechnicianAssignment.mapping_id)
    )
    return {row[0]: int(row[1]) for row in rows.all()}
