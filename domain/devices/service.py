"""Devices: register, rename, move, remove; list and read.

A serial number — and a MAC address — belongs to one organization in the whole platform. The
check before the insert gives the common case its clear answer; the unique indexes decide a race
(two organizations registering one serial at the same moment): the loser's IntegrityError is read
again as ``SERIAL_NUMBER_TAKEN`` / ``MAC_ADDRESS_TAKEN``, worded the same whoever holds it.

A device goes into an area through ``locations.service.place_in_area``, which locks the location
and the area (in that order) so neither can be deleted, nor the area moved, before we commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Device
from domain.audit.service import record
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import can_read, organization_access
from domain.context import RequestMeta
from domain.devices import errors
from domain.devices import repository as repo
from domain.devices.normalize import (
    InvalidMacAddress,
    InvalidSerialNumber,
    normalize_mac_address,
    normalize_serial_number,
)
from domain.devices.types import DeviceCounts, DeviceFilter
from domain.enums import DeviceKind, DeviceStatus
from domain.errors import NotFound, UserError, UserErrors, Validator
from domain.locations import repository as locations_repo
from domain.locations.service import place_in_area
from domain.validation import name as valid_name
from kit.pagination import Page, PageRequest, make_page

AREA_FIELD = ("input", "areaId")
ID_FIELD = ("input", "id")

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


# --- register --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Registration:
    kind: DeviceKind
    serial_number: str
    mac_address: str
    model: str
    name: str | None = None


def _check_registration(data: Registration) -> Registration:
    v = Validator(("input",))
    serial = mac = None
    try:
        serial = normalize_serial_number(data.serial_number)
    except InvalidSerialNumber as exc:
        v.add("serialNumber", "INVALID_SERIAL_NUMBER", str(exc))
    try:
        mac = normalize_mac_address(data.mac_address)
    except InvalidMacAddress as exc:
        v.add("macAddress", "INVALID_MAC_ADDRESS", str(exc))
    model = valid_name(v, "model", data.model, label="model")
    name = None if data.name is None or not data.name.strip() else data.name
    if name is not None:
        name = valid_name(v, "name", name)
    v.raise_if_any()
    assert serial is not None and mac is not None and model is not None
    # Unnamed devices are called by their serial number until someone renames them.
    return Registration(data.kind, serial, mac, model, name or serial)


async def register_device(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    data: Registration,
    *,
    organization_id: uuid.UUID | None,
    area_id: uuid.UUID | None,
) -> Device:
    """Register into ``area_id``, or into the default area of ``organization_id``.

    An area names its organization; ``organization_id`` given beside it must be the same one.
    """
    area = await _area_for_registration(session, principal, organization_id, area_id)
    clean = _check_registration(data)
    await _refuse_taken(session, clean)
    device = Device(
        organization_id=area.organization_id,
        location_id=area.location_id,
        area_id=area.id,
        kind=clean.kind,
        serial_number=clean.serial_number,
        mac_address=clean.mac_address,
        model=clean.model,
        name=clean.name,
        status=DeviceStatus.PENDING,
        registered_by_id=principal.user_id,
    )
    try:
        # Added inside the savepoint, so that its rollback also forgets the pending row.
        async with session.begin_nested():
            session.add(device)
            await session.flush()
    except IntegrityError as exc:
        # Lost a race: another transaction committed the serial or MAC address (or deleted the
        # area) after our check. Ask again, now that it is visible.
        await _refuse_taken(session, clean)
        raise NotFound("area", AREA_FIELD) from exc
    await _audit(
        session,
        principal,
        meta,
        "device.registered",
        device,
        {
            "serialNumber": device.serial_number,
            "macAddress": device.mac_address,
            "kind": device.kind.value,
            "model": device.model,
            "name": device.name,
            "areaId": str(device.area_id),
            "locationId": str(device.location_id),
        },
    )
    return device


async def _area_for_registration(
    session: AsyncSession,
    principal: Principal,
    organization_id: uuid.UUID | None,
    area_id: uuid.UUID | None,
) -> Area:
    if area_id is None:
        if organization_id is None:
            raise NotFound("organization", ("input", "organizationId"))
        await organization_access(
            session,
            principal,
            organization_id,
            Action.DEVICE_MANAGE,
            field=("input", "organizationId"),
        )
        area_id = await locations_repo.default_area_id(session, organization_id)
        if area_id is None:
            raise UserError(
                "AREA_REQUIRED", "This organization has no default area: choose one.", AREA_FIELD
            )
    else:
        found = await locations_repo.get_area(session, area_id)
        if found is None or (
            organization_id is not None and found.organization_id != organization_id
        ):
            raise NotFound("area", AREA_FIELD)
        await organization_access(
            session,
            principal,
            found.organization_id,
            Action.DEVICE_MANAGE,
            what="area",
            field=AREA_FIELD,
        )
    area = await place_in_area(session, area_id)
    if area is None:
        raise NotFound("area", AREA_FIELD)
    return area


async def _refuse_taken(session: AsyncSession, data: Registration) -> None:
    serial_taken, mac_taken = await repo.taken(session, data.serial_number, data.mac_address)
    refused = []
    if serial_taken:
        refused.append(errors.serial_number_taken())
    if mac_taken:
        refused.append(errors.mac_address_taken())
    if refused:
        raise UserErrors(e for r in refused for e in r.errors)


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
    await _audit(
        session, principal, meta, "device.renamed", device, {"from": previous, "to": clean}
    )
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
    await _audit(
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
    await _audit(session, principal, meta, "device.removed", device, details)
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


async def _audit(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    action: str,
    device: Device,
    details: Mapping[str, object],
) -> None:
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=device.organization_id,
        target_type="device",
        target_id=device.id,
        details=dict(details),
    )
