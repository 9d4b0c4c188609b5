"""Every query of the partners area: STEP codes, partner requests, mapped customers."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Organization,
    PartnerAccessExtension,
    PartnerMapping,
    PartnerRequest,
    StepPartnerCode,
)
from domain.enums import (
    PartnerAccessExtensionStatus,
    PartnerMappingStatus,
    PartnerRequestStatus,
    StepCodeStatus,
)


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
    try:
        async with session.begin_nested():
            session.add_all(codes)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def organizations_by_step_code(
    session: AsyncSession, code_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Organization]:
    """The partner organization each code made (``organization.step_code_id`` is unique)."""
    rows = await session.scalars(
        select(Organization).where(Organization.step_code_id.in_(code_ids))
    )
    return {org.step_code_id: org for org in rows.all() if org.step_code_id is not None}
