"""Devices written straight to the database, for list tests whose subject is the listing."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from db.models import Device
from domain.enums import DeviceKind, DeviceStatus
from runtime import Services


@dataclass(frozen=True)
class Spec:
    name: str
    serial: str
    kind: DeviceKind = DeviceKind.CAMERA
    status: DeviceStatus = DeviceStatus.ONLINE
    model: str = "XNV-8080R"
    mac: str | None = None


def mac_for(serial: str) -> str:
    digest = hashlib.sha256(serial.encode()).digest()
    return "02:" + ":".join(f"{b:02x}" for b in digest[:5])


async def insert_devices(
    services: Services,
    organization_id: uuid.UUID,
    location_id: uuid.UUID,
    area_id: uuid.UUID,
    specs: list[Spec],
) -> list[uuid.UUID]:
    ids = []
    async with services.db.unit_of_work() as session:
        for spec in specs:
            mac = spec.mac or mac_for(spec.serial)
            device = Device(
                organization_id=organization_id,
                location_id=location_id,
                area_id=area_id,
                kind=spec.kind,
                serial_number=spec.serial,
                mac_address=mac,
                model=spec.model,
                name=spec.name,
                status=spec.status,
            )
            session.add(device)
            await session.flush()
            ids.append(device.id)
    return ids
