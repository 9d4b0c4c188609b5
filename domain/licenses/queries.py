"""Reading licenses: lists, one license, the summary of the Licenses page.

Every function here answers for one organization the principal may read (``ORGANIZATION_READ``:
every role of the organization, and internal admins anywhere); another tenant's license is simply
not there.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Device
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import can_read, organization_access
from domain.enums import LicenseStatus
from domain.licenses import repository as repo
from domain.licenses.repository import LicenseRow, SummaryCounts
from domain.licenses.status import StatusClock
from kit.clock import utcnow
from kit.pagination import Page, PageRequest, make_page


def status_clock(expiring_soon_days: int, now: datetime | None = None) -> StatusClock:
    return StatusClock(now=now or utcnow(), expiring_within=timedelta(days=expiring_soon_days))


@dataclass(frozen=True, slots=True)
class LicenseFilter:
    organization_id: uuid.UUID
    status: LicenseStatus | None
    product_key: str | None


async def license_filter(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str | None,
    status: LicenseStatus | None,
    product_key: str | None,
) -> LicenseFilter:
    """Check that the principal may read the organization's licenses; the list's filter."""
    access = await organization_access(
        session, principal, organization_id, Action.ORGANIZATION_READ, field=("organizationId",)
    )
    key = product_key.strip().upper() if product_key is not None else None
    return LicenseFilter(access.organization_id, status, key)


async def list_licenses(
    session: AsyncSession, where: LicenseFilter, page: PageRequest, clock: StatusClock
) -> Page[LicenseRow]:
    rows = await repo.list_licenses(
        session,
        where.organization_id,
        status=where.status,
        product_key=where.product_key,
        page=page,
        clock=clock,
    )
    return make_page(rows, page)


async def count_licenses(session: AsyncSession, where: LicenseFilter, clock: StatusClock) -> int:
    return await repo.count_licenses(
        session,
        where.organization_id,
        status=where.status,
        product_key=where.product_key,
        clock=clock,
    )


async def get_license(
    session: AsyncSession, principal: Principal, license_id: uuid.UUID
) -> LicenseRow | None:
    """The license if the principal may read its organization; None otherwise (as if missing)."""
    row = await repo.get_license_row(session, license_id)
    if row is None or row.license.organization_id is None:
        return None
    if not await can_read(session, principal, row.license.organization_id):
        return None
    return row


async def license_summary(
    session: AsyncSession, principal: Principal, organization_id: str | None, clock: StatusClock
) -> SummaryCounts:
    access = await organization_access(
        session, principal, organization_id, Action.ORGANIZATION_READ, field=("organizationId",)
    )
    return (await repo.summaries(session, [access.organization_id], clock))[access.organization_id]


async def license_summaries(
    session: AsyncSession, organization_ids: Sequence[uuid.UUID], clock: StatusClock
) -> dict[uuid.UUID, SummaryCounts]:
    """Summaries of many organizations in one query, for lists such as the partner landing.

    The caller has already decided the principal may read every one of these organizations.
    """
    if not organization_ids:
        return {}
    return await repo.summaries(session, organization_ids, clock)


async def licenses_of_devices(
    session: AsyncSession, device_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[LicenseRow]]:
    """The current licenses of devices the caller has already been allowed to see."""
    return await repo.licenses_by_device(session, device_ids)


async def devices_of_licenses(
    session: AsyncSession, license_ids: Sequence[uuid.UUID], page: PageRequest
) -> dict[uuid.UUID, list[Device]]:
    """A page of the devices holding each license now, for licenses the caller may already see
    (the query keeps to each license's own organization)."""
    return await repo.devices_by_license(session, license_ids, page)
