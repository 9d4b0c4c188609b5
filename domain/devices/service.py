"""Devices: list and read; rename, move, remove. Registration is in ``registration.py``.

A device goes into an area through ``locations.areas.place_in_area``, which locks the location
and the area (in that order) so neither can be deleted, nor the area moved, before we commit; the
device itself is locked last.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Device, Location
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import can_read, organization_access
from domain.context import RequestMeta
from domain.devices import repository as repo
from domain.devices._shared import AREA_FIELD, ID_FIELD, audit
from domain.devices.types import DeviceCounts, DeviceFilter
from domain.errors import NotFound, Validator
from domain.locations import repository as locations_repo
from domain.locations.areas import place_in_area
from domain.validation import name as valid_name
from kit.pagination import Page, PageRequest, make_page

# --- reads -----------------------------------------------------------------------------------------


async def list_devices(
    session: AsyncSession,
    principal: Principal,
    organization_id: uuid.UUID,
    where: DeviceFilter,
    page: PageRequest,
) -> Page[Device]:
    await organization_access(session, principal, organization_id, Action.ORGANIZATION_READ)
    return make_page(await repo.list_devices(session, organization_id, where, page), page)


async def places_of(
    session: AsyncSession, devices: Sequence[Device], *, areas: bool, locations: bool
) -> tuple[dict[uuid.UUID, Area], dict[uuid.UUID, Location]]:
    """The areas and locations of a page of devices already authorized by ``list_devices``, each
    kind in one statement (only those asked for): the page's nodes then need no loader each."""
    by_area = (
        await locations_repo.areas_by_id(session, list(dict.fromkeys(d.area_id for d in devices)))
        if areas
        else {}
    )
    by_location = (
        await locations_repo.locations_by_id(
            session, list(dict.fromkeys(d.location_id for d in devices))
        )
        if locations
        else {}
    )
    return by_area, by_location


async def count_devices(
    session: AsyncSession, organization_id: uuid.UUID, where: DeviceFilter
) -> int:
    """For ``totalCount``, after ``list_devices`` has authorized the same organization."""
    return await repo.count_devices(session, organization_id, where)


async def device_counts(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> DeviceCounts:
    await organization_access(session, principal, organization_id, Action.ORGANIZATION_READ)
    return (await repo.device_counts_by_organization(session, [organization_id]))[0]


async def get_device(
    session: AsyncSession, principal: Principal, device_id: uuid.UUID
) -> Device | None:
    """The device, or None when it is missing or out of the principal's reach."""
    device = await repo.get_device(session, device_id)
    if device is None or not await can_read(session, principal, device.organization_id):
        return None
    return device


# --- rename, move, remove --------------------------------------------------------------------------


async def rename_device(
    session: AsyncSession, principal: Principal, meta: RequestMeta, device_id: uuid.UUID, name: str
) -> Device:
    device = await _device_to_manage(session, principal, device_id)
    v = Validator(("input",))
    clean = valid_name(v, "name", name)
    v.raise_if_any()
    assert clean is not None
    if clean == device.name:
        return device
    previous = device.name
    device.name = clean
    await session.flush()
    await audit(session, principal, meta, "device.renamed", device, {"from": previous, "to": clean})
    return device


async def move_device(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    device_id: uuid.UUID,
    area_id: uuid.UUID,
) -> Device:
    device = await repo.get_device(session, device_id)
    if device is None:
        raise NotFound("device", ID_FIELD)
    await organization_access(
        session,
        principal,
        device.organization_id,
        Action.DEVICE_MANAGE,
        what="device",
        field=ID_FIELD,
    )
    target = await locations_repo.get_area(session, area_id)
    # Another organization's area is as missing as one that does not exist.
    if target is None or target.organization_id != device.organization_id:
        raise NotFound("area", AREA_FIELD)
    if target.id == device.area_id:
        return device
    # Location, then area, then the device (the order every writer takes).
    area = await place_in_area(session, target.id)
    locked = await repo.get_device(session, device_id, for_update=True)
    if area is None:
        raise NotFound("area", AREA_FIELD)
    if locked is None:
        raise NotFound("device", ID_FIELD)
    before = {"areaId": str(locked.area_id), "locationId": str(locked.location_id)}
    locked.area_id = area.id
    locked.location_id = area.location_id
    await session.flush()
    await audit(
        session,
        principal,
        meta,
        "device.moved",
        locked,
        {"from": before, "to": {"areaId": str(area.id), "locationId": str(area.location_id)}},
    )
    return locked


async def remove_device(
    session: AsyncSession, principal: Principal, meta: RequestMeta, device_id: uuid.UUID
) -> uuid.UUID:
    """Delete the device (its serial number and MAC address can then be registered again,
    e.g. by the organization it was sold to); the audit event keeps what it was."""
    device = await _device_to_manage(session, principal, device_id)
    details = {
        "serialNumber": device.serial_number,
        "macAddress": device.mac_address,
        "kind": device.kind.value,
        "model": device.model,
        "name": device.name,
        "areaId": str(device.area_id),
        "locationId": str(device.location_id),
    }
    await repo.delete_device(session, device.id)
    await audit(session, principal, meta, "device.removed", device, details)
    session.expunge(device)
    return device_id


async def _device_to_manage(
    session: AsyncSession, principal: Principal, device_id: uuid.UUID
) -> Device:
    device = await repo.get_device(session, device_id)
    if device is None:
        raise NotFound("device", ID_FIELD)
    await organization_access(
        session,
        principal,
        device.organization_id,
        Action.DEVICE_MANAGE,
        what="device",
        field=ID_FIELD,
    )
    locked = await repo.get_device(session, device_id, for_update=True)
    if locked is None:
        raise NotFound("device", ID_FIELD)
    return locked
