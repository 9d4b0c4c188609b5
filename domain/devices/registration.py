"""Registering a device.

A serial number — and a MAC address — belongs to one organization in the whole platform. The
check before the insert gives the common case its clear answer; the unique indexes decide a race
(two organizations registering one serial at the same moment): the loser's IntegrityError is read
again as ``SERIAL_NUMBER_TAKEN`` / ``MAC_ADDRESS_TAKEN``, worded the same whoever holds it. Each
such answer tells that a device exists somewhere, so they are rate limited (``ConflictBudget``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Device
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.devices import errors
from domain.devices import repository as repo
from domain.devices._shared import AREA_FIELD, audit
from domain.devices.normalize import (
    InvalidMacAddress,
    InvalidSerialNumber,
    normalize_mac_address,
    normalize_serial_number,
)
from domain.enums import DeviceKind, DeviceStatus
from domain.errors import NotFound, RateLimited, UserError, UserErrors, Validator
from domain.locations import repository as locations_repo
from domain.locations.areas import place_in_area
from domain.validation import name as valid_name
from kit.ratelimit import RateLimiter


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


@dataclass(frozen=True, slots=True)
class ConflictBudget:
    """How many "taken" answers a user, and a client address, may get: each one tells that a
    device exists somewhere in the platform, so probing serial numbers is bounded."""

    limiter: RateLimiter
    per_user: str
    per_address: str

    def keys(self, principal: Principal, meta: RequestMeta) -> list[tuple[str, ...]]:
        return [
            (self.per_user, "device-conflict", "user", str(principal.user_id)),
            (self.per_address, "device-conflict", "address", meta.client_address or "unknown"),
        ]


async def register_device(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    data: Registration,
    *,
    organization_id: uuid.UUID | None,
    area_id: uuid.UUID | None,
    budget: ConflictBudget | None = None,
) -> Device:
    """Register into ``area_id``, or into the default area of ``organization_id``.

    An area names its organization; ``organization_id`` given beside it must be the same one.
    Once ``budget`` is spent, every registration is refused (``RateLimited``) until it refills:
    refusing only the taken ones would answer the probe all the same.
    """
    area = await _area_for_registration(session, principal, organization_id, area_id)
    clean = _check_registration(data)
    # Reserved before the serial and MAC address are looked up (so that a burst cannot pass the
    # budget); a "taken" answer keeps it, the others give it back.
    reservation = await budget.limiter.reserve(*budget.keys(principal, meta)) if budget else None
    if budget is not None and reservation is None:
        raise RateLimited()
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
        if reservation is not None:
            await reservation.refund()
        raise NotFound("area", AREA_FIELD) from exc
    await audit(
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
    if reservation is not None:
        await reservation.refund()
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


async def _refuse_taken(
    session: AsyncSession,
    data: Registration,
) -> None:
    serial_taken, mac_taken = await repo.taken(session, data.serial_number, data.mac_address)
    refused = []
    if serial_taken:
        refused.append(errors.serial_number_taken())
    if mac_taken:
        refused.append(errors.mac_address_taken())
    if refused:
        raise UserErrors(e for r in refused for e in r.errors)
