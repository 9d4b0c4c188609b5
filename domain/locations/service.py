"""Locations and areas: the use cases.

Every write checks the policy first (a missing path looks like a missing object), then the input
(every problem at once), then the rules. Names are unique per parent regardless of case; the
database's unique indexes make two concurrent creations end with one, and ``_flush_names`` turns
the loser's IntegrityError into ``NAME_TAKEN``.

Locks (PostgreSQL; on SQLite the write transaction already excludes other writers), always a
location before an area, so two writers never wait for each other in a circle:

* deleting a location or an area locks it ``FOR UPDATE`` before counting its devices;
* putting something into one (an area into a location, a device into an area: ``place_in_area``)
  holds the location ``FOR KEY SHARE`` and the area ``FOR SHARE``;
* changing one (rename, move an area) locks it ``FOR NO KEY UPDATE``.

So "it holds no devices" stays true until the delete commits, and a device's denormalized location
always matches its area's. The foreign keys are the backstop: a delete that still collides with a
device reports ``…_NOT_EMPTY``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Location
from domain.audit.service import record
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import can_read, organization_access
from domain.context import RequestMeta
from domain.errors import NotFound, Validator
from domain.locations import errors
from domain.locations import repository as repo
from domain.locations.time_zones import canonical_time_zone
from domain.validation import name as valid_name
from domain.validation import optional_text
from kit.pagination import Page, PageRequest, make_page
from kit.text import fold


class _Keep:
    """An optional input that was not sent: keep the stored value (``None`` clears it)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

# --- reads -----------------------------------------------------------------------------------------


async def list_locations(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID, page: PageRequest
) -> Page[Location]:
    await organization_access(session, principal, organization_id, Action.ORGANIZATION_READ)
    return make_page(await repo.list_locations(session, organization_id, page), page)


async def count_locations(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """For ``totalCount``, after ``list_locations`` has authorized the same organization."""
    return await repo.count_locations(session, organization_id)


async def get_location(
    session: AsyncSession, principal: Principal, location_id: uuid.UUID
) -> Location | None:
    """The location, or None when it is missing or out of the principal's reach."""
    location = await repo.get_location(session, location_id)
    if location is None or not await can_read(session, principal, location.organization_id):
        return None
    return location


async def get_area(session: AsyncSession, principal: Principal, area_id: uuid.UUID) -> Area | None:
    area = await repo.get_area(session, area_id)
    if area is None or not await can_read(session, principal, area.organization_id):
        return None
    return area


# --- locations -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LocationInput:
    name: str | None = None
    time_zone: str | None = None
    address: str | _Keep | None = KEEP


def _check_location(v: Validator, data: LocationInput, *, creating: bool) -> LocationInput:
    name = None if data.name is None else valid_name(v, "name", data.name)
    time_zone = None
    if data.time_zone is not None:
        time_zone = canonical_time_zone(data.time_zone)
        if time_zone is None:
            v.add(
                "timeZone",
                "INVALID_TIME_ZONE",
                "Choose an IANA time zone such as Europe/Berlin or America/New_York.",
            )
    elif creating:
        v.add("timeZone", "REQUIRED", "Choose the location's time zone.")
    address: str | _Keep | None = data.address
    if not isinstance(data.address, _Keep):
        address = optional_text(v, "address", data.address, label="address")
    if creating and data.name is None:
        v.add("name", "REQUIRED", "Enter a name.")
    v.raise_if_any()
    return LocationInput(name=name, time_zone=time_zone, address=address)


async def create_location(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    organization_id: uuid.UUID,
    data: LocationInput,
) -> Location:
    await organization_access(
        session,
        principal,
        organization_id,
        Action.LOCATION_MANAGE,
        field=("input", "organizationId"),
    )
    clean = _check_location(Validator(("input",)), data, creating=True)
    assert clean.name is not None and clean.time_zone is not None
    if await repo.location_name_taken(session, organization_id, fold(clean.name)):
        raise errors.name_taken(("input", "name"), "location")
    location = Location(
        organization_id=organization_id,
        name=clean.name,
        time_zone=clean.time_zone,
        address=None if isinstance(clean.address, _Keep) else clean.address,
        is_default=False,
    )
    await _flush_names(session, location, ("input", "name"), "location")
    await _audit(session, principal, meta, "location.created", location, {"name": location.name})
    return location


async def update_location(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    location_id: uuid.UUID,
    data: LocationInput,
) -> Location:
    location = await _location_to_manage(session, principal, location_id, ("input", "id"), "no_key")
    clean = _check_location(Validator(("input",)), data, creating=False)
    changes: dict[str, object] = {}
    if clean.name is not None and clean.name != location.name:
        if await repo.location_name_taken(
            session, location.organization_id, fold(clean.name), except_id=location.id
        ):
            raise errors.name_taken(("input", "name"), "location")
        changes["name"] = {"from": location.name, "to": clean.name}
        location.name = clean.name
    if clean.time_zone is not None and clean.time_zone != location.time_zone:
        changes["timeZone"] = {"from": location.time_zone, "to": clean.time_zone}
        location.time_zone = clean.time_zone
    if not isinstance(clean.address, _Keep) and clean.address != location.address:
        changes["address"] = True  # the address itself is not security relevant
        location.address = clean.address
    if changes:
        await _flush_names(session, location, ("input", "name"), "location")
        await _audit(session, principal, meta, "location.updated", location, changes)
    return location


async def delete_location(
    session: AsyncSession, principal: Principal, meta: RequestMeta, location_id: uuid.UUID
) -> uuid.UUID:
    field = ("input", "id")
    location = await _location_to_manage(session, principal, location_id, field, "update")
    if location.is_default:
        raise errors.cannot_delete_default(field, "location")
    if await repo.devices_in_location(session, location.id):
        raise errors.location_not_empty(field)
    areas = await repo.area_names(session, location.id)
    try:
        async with session.begin_nested():
            await repo.delete_location(session, location.id)
    except IntegrityError as exc:
        # A device arrived after the count (the foreign keys noticed): same answer as above.
        raise errors.location_not_empty(field) from exc
    await _audit(
        session,
        principal,
        meta,
        "location.deleted",
        location,
        {"name": location.name, "areas": areas},
    )
    session.expunge(location)
    return location_id


async def _location_to_manage(
    session: AsyncSession,
    principal: Principal,
    location_id: uuid.UUID,
    field: Sequence[str],
    lock: repo.Lock,
) -> Location:
    location = await repo.get_location(session, location_id, lock=lock)
    if location is None:
        raise NotFound("location", field)
    await organization_access(
        session,
        principal,
        location.organization_id,
        Action.LOCATION_MANAGE,
        what="location",
        field=field,
    )
    return location


# --- areas -----------------------------------------------------------------------------------------


async def create_area(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    location_id: uuid.UUID,
    name: str,
) -> Area:
    location = await _location_to_manage(
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
    await _flush_names(session, area, ("input", "name"), "area in this location")
    await _audit(
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
    await _flush_names(session, area, ("input", "name"), "area in this location")
    await _audit(
        session, principal, meta, "area.renamed", area, {"from": previous, "to": area.name}
    )
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
    await _flush_names(session, area, ("input", "locationId"), "area in that location")
    moved = await repo.move_area_devices(session, area.id, target.id)
    await _audit(
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
    await _audit(
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
    area = await repo.get_area(session, area_id, lock=lock)
    if area is None:
        raise NotFound("area", field)
    await organization_access(
        session, principal, area.organization_id, Action.LOCATION_MANAGE, what="area", field=field
    )
    return area


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


# --- shared ----------------------------------------------------------------------------------------


async def _flush_names(
    session: AsyncSession, row: Location | Area, field: Sequence[str], parent: str
) -> None:
    """Write the row; a concurrent writer that took the same name first wins."""
    try:
        # Added inside the savepoint, so that its rollback also forgets a pending new row.
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as exc:
        raise errors.name_taken(field, parent) from exc


async def _audit(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    action: str,
    target: Location | Area,
    details: Mapping[str, object],
) -> None:
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=target.organization_id,
        target_type="location" if isinstance(target, Location) else "area",
        target_id=target.id,
        details=dict(details),
    )
