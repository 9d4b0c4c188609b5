"""Every query about devices."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.keyset import keyset, pages_by_parent
from db.models import Device
from domain.devices.types import DeviceCounts, DeviceFilter
from domain.enums import DeviceStatus
from kit.pagination import PageRequest


async def get_device(
    session: AsyncSession, device_id: uuid.UUID, *, for_update: bool = False
) -> Device | None:
    stmt = select(Device).where(Device.id == device_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(stmt)).one_or_none()


async def taken(session: AsyncSession, serial_number: str, mac_address: str) -> tuple[bool, bool]:
    """Whether the serial number and the MAC address are registered (anywhere in the platform)."""
    rows = (
        await session.execute(
            select(Device.serial_number, Device.mac_address).where(
                or_(Device.serial_number == serial_number, Device.mac_address == mac_address)
            )
        )
    ).all()
    return (
        any(r.serial_number == serial_number for r in rows),
        any(r.mac_address == mac_address for r in rows),
    )


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _criteria(organization_id: uuid.UUID, where: DeviceFilter) -> list[ColumnElement[bool]]:
    # Always scoped to the organization: a location or area id of another organization simply
    # matches nothing.
    criteria: list[ColumnElement[bool]] = [Device.organization_id == organization_id]
    if where.location_id is not None:
        criteria.append(Device.location_id == where.location_id)
    if where.area_id is not None:
        criteria.append(Device.area_id == where.area_id)
    if where.kind is not None:
        criteria.append(Device.kind == where.kind)
    if where.status is not None:
        criteria.append(Device.status == where.status)
    if where.search_terms:
        # search_text is folded in Python (SQLite's lower() knows only ASCII), the terms too, so
        # LIKE compares like with like on both engines.
        criteria.append(
            or_(
                *(
                    Device.search_text.like(f"%{_escape_like(term)}%", escape="\\")
                    for term in where.search_terms
                )
            )
        )
    return criteria


async def list_devices(
    session: AsyncSession, organization_id: uuid.UUID, where: DeviceFilter, page: PageRequest
) -> Sequence[Device]:
    stmt = keyset(select(Device).where(*_criteria(organization_id, where)), Device.id, page)
    return (await session.scalars(stmt)).all()


async def count_devices(
    session: AsyncSession, organization_id: uuid.UUID, where: DeviceFilter
) -> int:
    stmt = select(func.count()).select_from(Device).where(*_criteria(organization_id, where))
    return int((await session.execute(stmt)).scalar_one())


async def delete_device(session: AsyncSession, device_id: uuid.UUID) -> None:
    await session.execute(delete(Device).where(Device.id == device_id))


# --- batches for the DataLoaders ---------------------------------------------------------------


async def devices_by_location(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, PageRequest]]
) -> list[list[Device]]:
    return await pages_by_parent(session, Device, Device.location_id, keys)


async def devices_by_area(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, PageRequest]]
) -> list[list[Device]]:
    return await pages_by_parent(session, Device, Device.area_id, keys)


async def _counts_by(
    session: AsyncSession, column: InstrumentedAttribute[Any], keys: Sequence[uuid.UUID]
) -> list[DeviceCounts]:
    stmt = (
        select(column, Device.status, func.count())
        .where(column.in_(keys))
        .group_by(column, Device.status)
    )
    found: dict[uuid.UUID, dict[DeviceStatus, int]] = defaultdict(dict)
    for key, status, count in (await session.execute(stmt)).all():
        found[key][status] = int(count)
    return [DeviceCounts(found.get(key, {})) for key in keys]


async def device_counts_by_organization(
    session: AsyncSession, keys: Sequence[uuid.UUID]
) -> list[DeviceCounts]:
    return await _counts_by(session, Device.organization_id, keys)


async def device_counts_by_location(
    session: AsyncSession, keys: Sequence[uuid.UUID]
) -> list[DeviceCounts]:
    return await _counts_by(session, Device.location_id, keys)


async def device_counts_by_area(
    session: AsyncSession, keys: Sequence[uuid.UUID]
) -> list[DeviceCounts]:
    return await _counts_by(session, Device.area_id, keys)
