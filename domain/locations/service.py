"""Locations and areas: the use cases.

Every write checks the policy first (a missing path looks like a missing object), then the input
(every problem at once), then the rules. Names are unique per parent regardless of case; the
database's unique indexes make two concurrent creations end with one, and ``flush_names`` turns
the loser's IntegrityError into ``NAME_TAKEN``. Areas are in ``areas.py``.

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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Location
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import can_read, organization_access
from domain.context import RequestMeta
from domain.errors import NotFound, Validator
from domain.locations import errors
from domain.locations import repository as repo
from domain.locations._shared import audit, flush_names
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
    await flush_names(session, location, ("input", "name"), "location")
    await audit(session, principal, meta, "location.created", location, {"name": location.name})
    return location


async def update_location(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    location_id: uuid.UUID,
    data: LocationInput,
) -> Location:
    location = await location_to_manage(session, principal, location_id, ("input", "id"), "no_key")
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
        await flush_names(session, location, ("input", "name"), "location")
        await audit(session, principal, meta, "location.updated", location, changes)
    return location


async def delete_location(
    session: AsyncSession, principal: Principal, meta: RequestMeta, location_id: uuid.UUID
) -> uuid.UUID:
    field = ("input", "id")
    location = await location_to_manage(session, principal, location_id, field, "update")
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
    await audit(
        session,
        principal,
        meta,
        "location.deleted",
        location,
        {"name": location.name, "areas": areas},
    )
    session.expunge(location)
    return location_id


async def location_to_manage(
    session: AsyncSession,
    principal: Principal,
    location_id: uuid.UUID,
    field: Sequence[str],
    lock: repo.Lock,
) -> Location:
    """The location, if the principal may manage it, locked with ``lock``.

    Read, authorized, and only then locked: another tenant's request must not hold our rows.
    """
    location = await repo.get_location(session, location_id)
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
    locked = await repo.get_location(session, location_id, lock=lock)
    if locked is None:
        raise NotFound("location", field)
    return locked
