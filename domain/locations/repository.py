"""Every query about locations and areas."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.keyset import keyset, pages_by_parent
from db.models import Area, Device, Location
from kit.pagination import PageRequest

# Row locks on PostgreSQL (SQLite has none: its write transaction already excludes other writers).
#   "update"      FOR UPDATE         deleting the row
#   "no_key"      FOR NO KEY UPDATE  changing its columns
#   "share"       FOR SHARE          reading a column that must not change before we commit
#   "key_share"   FOR KEY SHARE      only keeping the row from being deleted
Lock = Literal["update", "no_key", "share", "key_share"]


def _locked(stmt: Select[Any], lock: Lock | None) -> Select[Any]:
    if lock is None:
        return stmt
    stmt = stmt.execution_options(populate_existing=True)
    if lock == "update":
        return stmt.with_for_update()
    if lock == "no_key":
        return stmt.with_for_update(key_share=True)
    if lock == "share":
        return stmt.with_for_update(read=True)
    return stmt.with_for_update(read=True, key_share=True)


# --- locations ----------------------------------------------------------------------------------


async def get_location(
    session: AsyncSession, location_id: uuid.UUID, *, lock: Lock | None = None
) -> Location | None:
    stmt = _locked(select(Location).where(Location.id == location_id), lock)
    return (await session.scalars(stmt)).one_or_none()


async def list_locations(
    session: AsyncSession, organization_id: uuid.UUID, page: PageRequest
) -> Sequence[Location]:
    stmt = keyset(
        select(Location).where(Location.organization_id == organization_id), Location.id, page
    )
    return (await session.scalars(stmt)).all()


async def count_locations(session: AsyncSession, organization_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(Location.organization_id == organization_id)
    return int((await session.execute(stmt)).scalar_one())


async def location_name_taken(
    session: AsyncSession,
    organization_id: uuid.UUID,
    name_key: str,
    *,
    except_id: uuid.UUID | None = None,
) -> bool:
    stmt = select(Location.id).where(
        Location.organization_id == organization_id, Location.name_key == name_key
    )
    if except_id is not None:
        stmt = stmt.where(Location.id != except_id)
    return (await session.execute(stmt.limit(1))).first() is not None


async def devices_in_location(session: AsyncSession, location_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(Device.location_id == location_id)
    return int((await session.execute(stmt)).scalar_one())


async def delete_location(session: AsyncSession, location_id: uuid.UUID) -> None:
    # Areas go first, explicitly: the device foreign keys then fail on them (a device that raced in)
    # the same way on both engines, instead of relying on how each cascades.
    await session.execute(delete(Area).where(Area.location_id == location_id))
    await session.execute(delete(Location).where(Location.id == location_id))


# --- areas -----------------------------------------------------------------------------------------


async def get_area(
    session: AsyncSession, area_id: uuid.UUID, *, lock: Lock | None = None
) -> Area | None:
    stmt = _locked(select(Area).where(Area.id == area_id), lock)
    return (await session.scalars(stmt)).one_or_none()


async def default_area_id(session: AsyncSession, organization_id: uuid.UUID) -> uuid.UUID | None:
    stmt = select(Area.id).where(Area.organization_id == organization_id, Area.is_default.is_(True))
    return (await session.execute(stmt)).scalar_one_or_none()


async def area_names(session: AsyncSession, location_id: uuid.UUID) -> list[str]:
    stmt = select(Area.name).where(Area.location_id == location_id).order_by(Area.id)
    return list((await session.scalars(stmt)).all())


async def area_name_taken(
    session: AsyncSession,
    location_id: uuid.UUID,
    name_key: str,
    *,
    except_id: uuid.UUID | None = None,
) -> bool:
    stmt = select(Area.id).where(Area.location_id == location_id, Area.name_key == name_key)
    if except_id is not None:
        stmt = stmt.where(Area.id != except_id)
    return (await session.execute(stmt.limit(1))).first() is not None


async def devices_in_area(session: AsyncSession, area_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(Device.area_id == area_id)
    return int((await session.execute(stmt)).scalar_one())


async def move_area_devices(
    session: AsyncSession, area_id: uuid.UUID, location_id: uuid.UUID
) -> int:
    """Keep the devices' denormalized location in step with their area's."""
    result = await session.execute(
        update(Device)
        .where(Device.area_id == area_id)
        .values(location_id=location_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


async def delete_area(session: AsyncSession, area_id: uuid.UUID) -> None:
    await session.execute(delete(Area).where(Area.id == area_id))


# --- batches for the DataLoaders ---------------------------------------------------------------


async def areas_by_location(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, PageRequest]]
) -> list[list[Area]]:
    return await pages_by_parent(session, Area, Area.location_id, keys)


async def area_count_by_location(session: AsyncSession, keys: Sequence[uuid.UUID]) -> list[int]:
    stmt = (
        select(Area.location_id, func.count())
        .where(Area.location_id.in_(keys))
        .group_by(Area.location_id)
    )
    counts = {row[0]: int(row[1]) for row in (await session.execute(stmt)).all()}
    return [counts.get(key, 0) for key in keys]


async def location_count_by_organization(
    session: AsyncSession, keys: Sequence[uuid.UUID]
) -> list[int]:
    stmt = (
        select(Location.organization_id, func.count())
        .where(Location.organization_id.in_(keys))
        .group_by(Location.organization_id)
    )
    counts = {row[0]: int(row[1]) for row in (await session.execute(stmt)).all()}
    return [counts.get(key, 0) for key in keys]


async def areas_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Area]:
    """The areas of a page of devices, in one statement (the device list loads them at once)."""
    if not ids:
        return {}
    return {a.id: a for a in await session.scalars(select(Area).where(Area.id.in_(ids)))}


async def locations_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Location]:
    """The locations of a page of devices, in one statement."""
    if not ids:
        return {}
    return {
        row.id: row for row in await session.scalars(select(Location).where(Location.id.in_(ids)))
    }
