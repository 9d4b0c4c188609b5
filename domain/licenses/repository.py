"""Every query of the licenses area.

Statuses are never stored: ``status_condition`` turns the rules of ``status.license_status`` into
SQL so that filtering and counting happen in the database, at the same instant (``StatusClock``)
the rows are judged at.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Device, License, LicenseAttachment, Product
from domain.enums import LicenseStatus
from domain.licenses.status import StatusClock
from kit.pagination import PageRequest

# --- status in SQL -----------------------------------------------------------------------------


def _current_attachment_of_license() -> ColumnElement[bool]:
    return and_(LicenseAttachment.license_id == License.id, LicenseAttachment.detached_at.is_(None))


def _in_use() -> ColumnElement[bool]:
    return exists().where(_current_attachment_of_license())


def _seats_used() -> ColumnElement[int]:
    return (
        select(func.count())
        .where(_current_attachment_of_license())
        .correlate(License)
        .scalar_subquery()
    )


def status_condition(status: LicenseStatus, clock: StatusClock) -> ColumnElement[bool]:
    """The rows whose status (status.license_status) is ``status`` at ``clock.now``."""
    expires = License.expires_at
    if status is LicenseStatus.EXPIRED:
        return and_(expires.is_not(None), expires <= clock.now)
    if status is LicenseStatus.EXPIRING_SOON:
        return and_(expires > clock.now, expires <= clock.soon)
    not_expiring = or_(expires.is_(None), expires > clock.soon)
    if status is LicenseStatus.IN_USE:
        return and_(not_expiring, _in_use())
    return and_(not_expiring, ~_in_use())


def _not_expired(now: datetime) -> ColumnElement[bool]:
    return or_(License.expires_at.is_(None), License.expires_at > now)


# --- the catalog -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    product: Product
    unlocked: bool


async def get_product_by_key(session: AsyncSession, key: str) -> Product | None:
    product: Product | None = await session.scalar(select(Product).where(Product.key == key))
    return product


async def list_catalog(
    session: AsyncSession, organization_id: uuid.UUID | None, now: datetime
) -> list[CatalogEntry]:
    """Every product in tile order, each with whether the organization holds a license for it
    that has not expired (one query)."""
    if organization_id is None:
        unlocked: ColumnElement[bool] = false()
    else:
        unlocked = exists().where(
            License.product_id == Product.id,
            License.organization_id == organization_id,
            _not_expired(now),
        )
    rows = await session.execute(
        select(Product, unlocked.label("unlocked")).order_by(Product.sort_order, Product.key)
    )
    return [CatalogEntry(product=row[0], unlocked=bool(row[1])) for row in rows]


# --- licenses ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LicenseRow:
    """A license with what its status needs: its product and how many seats are in use."""

    license: License
    product: Product
    seats_used: int

    @property
    def id(self) -> uuid.UUID:
        return self.license.id


def _license_rows() -> Select[License, Product, int]:
    return select(License, Product, _seats_used().label("seats_used")).join(
        Product, Product.id == License.product_id
    )


def _to_rows(result: Iterable[Row[License, Product, int]]) -> list[LicenseRow]:
    return [LicenseRow(license=r[0], product=r[1], seats_used=int(r[2] or 0)) for r in result]


def _list_filters(
    organization_id: uuid.UUID,
    status: LicenseStatus | None,
    product_key: str | None,
    clock: StatusClock,
) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = [License.organization_id == organization_id]
    if status is not None:
        filters.append(status_condition(status, clock))
    if product_key is not None:
        filters.append(License.product_id.in_(select(Product.id).where(Product.key == product_key)))
    return filters


async def list_licenses(
    session: AsyncSession,
    organization_id: uuid.UUID,
    *,
    status: LicenseStatus | None,
    product_key: str | None,
    page: PageRequest,
    clock: StatusClock,
) -> list[LicenseRow]:
    """One page (``first + 1`` rows, keyset on id) of an organization's licenses."""
    query = _license_rows().where(*_list_filters(organization_id, status, product_key, clock))
    if page.after is not None:
        query = query.where(License.id > page.after)
    result = await session.execute(query.order_by(License.id).limit(page.first + 1))
    return _to_rows(result.all())


async def count_licenses(
    session: AsyncSession,
    organization_id: uuid.UUID,
    *,
    status: LicenseStatus | None,
    product_key: str | None,
    clock: StatusClock,
) -> int:
    total = await session.scalar(
        select(func.count())
        .select_from(License)
        .where(*_list_filters(organization_id, status, product_key, clock))
    )
    return int(total or 0)


async def get_license_row(session: AsyncSession, license_id: uuid.UUID) -> LicenseRow | None:
    result = await session.execute(_license_rows().where(License.id == license_id))
    rows = _to_rows(result.all())
    return rows[0] if rows else None


async def get_license_rows(
    session: AsyncSession, license_ids: Sequence[uuid.UUID]
) -> list[LicenseRow]:
    result = await session.execute(
        _license_rows().where(License.id.in_(license_ids)).order_by(License.id)
    )
    return _to_rows(result.all())


async def lock_license(session: AsyncSession, license_id: uuid.UUID) -> License | None:
    """The license row, locked until the transaction ends (PostgreSQL; on SQLite the write
    transaction's BEGIN IMMEDIATE already serializes writers). Everything that changes a license's
    seats or term takes this lock first, so seat counts read afterwards are final."""
    license: License | None = await session.scalar(
        select(License).where(License.id == license_id).with_for_update()
    )
    return license


def add_licenses(session: AsyncSession, licenses: Sequence[License]) -> None:
    session.add_all(licenses)


async def redeem(
    session: AsyncSession,
    key_hash: str,
    *,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    now: datetime,
) -> uuid.UUID | None:
    """Give the unredeemed license with this key to the organization. One conditional update:
    of two organizations racing for one key exactly one gets a row back."""
    result = await session.execute(
        update(License)
        .where(License.key_hash == key_hash, License.organization_id.is_(None))
        .values(organization_id=organization_id, redeemed_at=now, redeemed_by_id=user_id)
        .returning(License.id)
        .execution_options(synchronize_session=False)
    )
    redeemed: uuid.UUID | None = result.scalar_one_or_none()
    return redeemed


async def start_term(
    session: AsyncSession, license_id: uuid.UUID, *, now: datetime, expires_at: datetime
) -> bool:
    """Start the term at the first attachment; never again (the WHERE makes it once only)."""
    result = await session.execute(
        update(License)
        .where(License.id == license_id, License.activated_at.is_(None))
        .values(activated_at=now, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


# --- attachments -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceRef:
    id: uuid.UUID
    organization_id: uuid.UUID


async def get_device_ref(session: AsyncSession, device_id: uuid.UUID) -> DeviceRef | None:
    row = (
        await session.execute(
            select(Device.id, Device.organization_id).where(Device.id == device_id)
        )
    ).first()
    return DeviceRef(row.id, row.organization_id) if row else None


async def count_seats_used(session: AsyncSession, license_id: uuid.UUID) -> int:
    used = await session.scalar(
        select(func.count()).where(
            LicenseAttachment.license_id == license_id, LicenseAttachment.detached_at.is_(None)
        )
    )
    return int(used or 0)


async def current_license_of_product(
    session: AsyncSession, device_id: uuid.UUID, product_id: uuid.UUID
) -> uuid.UUID | None:
    """The license of this product attached to the device now, if any."""
    license_id: uuid.UUID | None = await session.scalar(
        select(LicenseAttachment.license_id).where(
            LicenseAttachment.device_id == device_id,
            LicenseAttachment.product_id == product_id,
            LicenseAttachment.detached_at.is_(None),
        )
    )
    return license_id


async def add_attachment(session: AsyncSession, attachment: LicenseAttachment) -> None:
    session.add(attachment)
    await session.flush()


async def detach(
    session: AsyncSession, license_id: uuid.UUID, device_id: uuid.UUID, *, now: datetime
) -> bool:
    result = await session.execute(
        update(LicenseAttachment)
        .where(
            LicenseAttachment.license_id == license_id,
            LicenseAttachment.device_id == device_id,
            LicenseAttachment.detached_at.is_(None),
        )
        .values(detached_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


async def licenses_by_device(
    session: AsyncSession, device_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[LicenseRow]]:
    """The licenses attached to each device now (at most one per product, so few)."""
    result = await session.execute(
        select(LicenseAttachment.device_id, License, Product, _seats_used().label("seats_used"))
        .join(License, License.id == LicenseAttachment.license_id)
        .join(Product, Product.id == License.product_id)
        # Only licenses of the device's own organization (always so; checked all the same).
        .join(Device, Device.id == LicenseAttachment.device_id)
        .where(
            LicenseAttachment.device_id.in_(device_ids),
            LicenseAttachment.detached_at.is_(None),
            License.organization_id == Device.organization_id,
        )
        .order_by(LicenseAttachment.device_id, Product.sort_order, License.id)
    )
    found: dict[uuid.UUID, list[LicenseRow]] = {key: [] for key in device_ids}
    for device_id, license, product, seats_used in result:
        found[device_id].append(LicenseRow(license, product, int(seats_used or 0)))
    return found


async def devices_by_license(
    session: AsyncSession, license_ids: Sequence[uuid.UUID], page: PageRequest
) -> dict[uuid.UUID, list[Device]]:
    """One page (``first + 1`` rows, keyset on device id) of each license's current devices, for
    every license at once: a window function numbers each license's devices."""
    position = (
        func.row_number()
        .over(partition_by=LicenseAttachment.license_id, order_by=LicenseAttachment.device_id)
        .label("position")
    )
    conditions: list[ColumnElement[bool]] = [
        LicenseAttachment.license_id.in_(license_ids),
        LicenseAttachment.detached_at.is_(None),
    ]
    if page.after is not None:
        conditions.append(LicenseAttachment.device_id > page.after)
    numbered = (
        select(LicenseAttachment.license_id, LicenseAttachment.device_id, position)
        .join(License, License.id == LicenseAttachment.license_id)
        .join(Device, Device.id == LicenseAttachment.device_id)
        # Only devices of the license's own organization (always so; checked all the same).
        .where(*conditions, Device.organization_id == License.organization_id)
        .subquery()
    )
    result = await session.execute(
        select(numbered.c.license_id, Device)
        .join(Device, Device.id == numbered.c.device_id)
        .where(numbered.c.position <= page.first + 1)
        .order_by(numbered.c.license_id, numbered.c.position)
    )
    found: dict[uuid.UUID, list[Device]] = {key: [] for key in license_ids}
    for license_id, device in result:
        found[license_id].append(device)
    return found


# --- summaries ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SummaryCounts:
    total: int = 0
    available: int = 0
    in_use: int = 0
    expiring_soon: int = 0
    expired: int = 0


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)


async def summaries(
    session: AsyncSession, organization_ids: Sequence[uuid.UUID], clock: StatusClock
) -> dict[uuid.UUID, SummaryCounts]:
    """Counts by status for each organization, in one aggregate query."""
    result = await session.execute(
        select(
            License.organization_id,
            func.count(),
            _count_where(status_condition(LicenseStatus.AVAILABLE, clock)),
            _count_where(status_condition(LicenseStatus.IN_USE, clock)),
            _count_where(status_condition(LicenseStatus.EXPIRING_SOON, clock)),
            _count_where(status_condition(LicenseStatus.EXPIRED, clock)),
        )
        .where(License.organization_id.in_(organization_ids))
        .group_by(License.organization_id)
    )
    found = {key: SummaryCounts() for key in organization_ids}
    for org_id, total, available, in_use, soon, expired in result:
        if org_id is not None:
            found[org_id] = SummaryCounts(
                int(total), int(available), int(in_use), int(soon), int(expired)
            )
    return found
