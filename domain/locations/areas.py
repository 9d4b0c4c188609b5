"""Areas: create, rename, move to another location of the organization, delete; and
``place_in_area``, how a device gets into one. Locks as in ``domain.locations.service``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.errors import NotFound, Validator
from domain.locations import errors
from domain.locations import repository as repo
from domain.locations._shared import audit, flush_names
from domain.locations.service import location_to_manage
from domain.validation import name as valid_name
from kit.text import fold


async def create_area(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    location_id: uuid.UUID,
    name: str,
) -> Area:
    location = await location_to_manage(
        session, principal, location_id, ("input", "locationId"), "key_share"
    )
    v = Validator(("input",))
    clean = valid_name(v, "name", name)
    v.raise_if_any()
    assert clean is not None
    if await repo.area_name_taken(session, location.id, fold(clean)):
        raise errors.name_taken(("input", "name"), "area in this location")
    area = Area(
        organization_id=location.organization_id,
        location_id=location.id,
        name=clean,
        is_default=False,
    )
    await flush_names(session, area, ("input", "name"), "area in this location")
    await audit(
        session,
        principal,
        meta,
        "area.created",
        area,
        {"name": area.name, "locationId": str(location.id)},
    )
    return area


async def rename_area(
    session: AsyncSession, principal: Principal, meta: RequestMeta, area_id: uuid.UUID, name: str
) -> Area:
    area = await _area_to_manage(session, principal, area_id, ("input", "id"), "no_key")
    v = Validator(("input",))
    clean = valid_name(v, "name", name)
    v.raise_if_any()
    assert clean is not None
    if clean == area.name:
        return area
    if await repo.area_name_taken(session, area.location_id, fold(clean), except_id=area.id):
        raise errors.name_taken(("input", "name"), "area in this location")
    previous = area.name
    area.name = clean
    await flush_names(session, area, ("input", "name"), "area in this location")
    await audit(session, principal, meta, "area.renamed", area, {"from": previous, "to": area.name})
    return area


async def move_area(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    area_id: uuid.UUID,
    location_id: uuid.UUID,
) -> Area:
    field = ("input", "id")
    area = await _area_to_manage(session, principal, area_id, field, None)
    # Another organization's location is as missing as one that does not exist.
    target = await repo.get_location(session, location_id, lock="key_share")
    if target is None or target.organization_id != area.organization_id:
        raise NotFound("location", ("input", "locationId"))
    # Locations before areas (see the module's docstring): lock the area only now.
    locked = await repo.get_area(session, area.id, lock="no_key")
    if locked is None:
        raise NotFound("area", field)
    area = locked
    if target.id == area.location_id:
        return area
    if area.is_default:
        raise errors.cannot_move_default_area(("input", "id"))
    if await repo.area_name_taken(session, target.id, area.name_key):
        raise errors.name_taken(("input", "locationId"), "area in that location")
    previous = area.location_id
    area.location_id = target.id
    await flush_names(session, area, ("input", "locationId"), "area in that location")
    moved = await repo.move_area_devices(session, area.id, target.id)
    await audit(
        session,
        principal,
        meta,
        "area.moved",
        area,
        {"fromLocationId": str(previous), "toLocationId": str(target.id), "devices": moved},
    )
    return area


async def delete_area(
    session: AsyncSession, principal: Principal, meta: RequestMeta, area_id: uuid.UUID
) -> uuid.UUID:
    field = ("input", "id")
    area = await _area_to_manage(session, principal, area_id, field, "update")
    if area.is_default:
        raise errors.cannot_delete_default(field, "area")
    if await repo.devices_in_area(session, area.id):
        raise errors.area_not_empty(field)
    try:
        async with session.begin_nested():
            await repo.delete_area(session, area.id)
    except IntegrityError as exc:
        raise errors.area_not_empty(field) from exc
    await audit(
        session,
        principal,
        meta,
        "area.deleted",
        area,
        {"name": area.name, "locationId": str(area.location_id)},
    )
    session.expunge(area)
    return area_id


async def _area_to_manage(
    session: AsyncSession,
    principal: Principal,
    area_id: uuid.UUID,
    field: Sequence[str],
    lock: repo.Lock | None,
) -> Area:
    """The area, if the principal may manage it; read, authorized, then locked with ``lock``."""
    area = await repo.get_area(session, area_id)
    if area is None:
        raise NotFound("area", field)
    await organization_access(
        session,
        principal,
        area.organization_id,
        Action.LOCATION_MANAGE,
        what="area",
        field=field,
    )
    if lock is None:
        return area
    locked = await repo.get_area(session, area_id, lock=lock)
    if locked is None:
        raise NotFound("area", field)
    return locked


async def place_in_area(session: AsyncSession, area_id: uuid.UUID) -> Area | None:
    """The area, locked so that a device can be put into it (for the devices' service).

    Holds its location ``FOR KEY SHARE`` and the area ``FOR SHARE`` (location first: see the
    module's docstring), so neither can be deleted, nor the area moved, before we commit; the
    area's ``location_id`` is then the one to copy onto the device. None when it is gone.
    """
    for _ in range(3):
        area = await repo.get_area(session, area_id)
        if area is None:
            return None
        if await repo.get_location(session, area.location_id, lock="key_share") is None:
            return None
        location_id = area.location_id
        locked = await repo.get_area(session, area_id, lock="share")
        if locked is None:
            return None
        if locked.location_id == location_id:
            return locked
        # The area moved between the two reads: lock its new location and try again.
    return None
