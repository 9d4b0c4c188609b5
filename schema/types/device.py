"""Devices.

To add a field (licenses attach to devices): add a ``@strawberry.field`` method here that resolves
through a DataLoader keyed by ``self.pk`` (or ``self.organization_id``); the device itself was
already authorized by the resolver that produced it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import datetime

import strawberry
from strawberry.dataloader import DataLoader

from db.models import Area as AreaRow
from db.models import Device as DeviceRow
from db.models import Location as LocationRow
from domain.devices.types import DeviceCounts as DeviceCountsValue
from kit.pagination import Page
from resolvers.context import context_of
from schema.enums import DeviceKind, DeviceStatus
from schema.relay import Connection, make_connection
from schema.types.license import License, device_licenses
from schema.types.location import Area, Location
from schema.types.node import Node


@strawberry.type(description="A camera or a recorder.")
class Device(Node):
    id: strawberry.ID = strawberry.field(description="The device's id.")
    kind: DeviceKind = strawberry.field(description="CAMERA or RECORDER.")
    serial_number: str = strawberry.field(description="Upper case, as normalized at registration.")
    mac_address: str = strawberry.field(
        description="Lower case, colon separated: aa:bb:cc:dd:ee:ff."
    )
    model: str = strawberry.field(description="The model name as registered.")
    name: str = strawberry.field(
        description="The display name (the serial number unless one was given)."
    )
    status: DeviceStatus = strawberry.field(
        description="PENDING until it first connects, then ONLINE or OFFLINE."
    )
    firmware_version: str | None = strawberry.field(
        description="The firmware version the device last reported (null until it connects)."
    )
    last_seen_at: datetime | None = strawberry.field(
        description="When the device last connected (null until it does)."
    )
    registered_at: datetime = strawberry.field(
        description="When the device was registered in this organization."
    )
    updated_at: datetime = strawberry.field(
        description="When the device's record last changed (rename, move, status)."
    )
    pk: strawberry.Private[uuid.UUID]
    organization_id: strawberry.Private[uuid.UUID]
    area_id: strawberry.Private[uuid.UUID]
    location_id: strawberry.Private[uuid.UUID]
    # Loaded with the page when the client asked for them (resolvers/devices.py): the fields then
    # answer synchronously instead of costing a coroutine and a DataLoader future per device.
    area_row: strawberry.Private[AreaRow | None] = None
    location_row: strawberry.Private[LocationRow | None] = None

    @classmethod
    def from_row(
        cls, row: DeviceRow, area: AreaRow | None = None, location: LocationRow | None = None
    ) -> Device:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            serial_number=row.serial_number,
            mac_address=row.mac_address,
            model=row.model,
            name=row.name,
            status=row.status,
            firmware_version=row.firmware_version,
            last_seen_at=row.last_seen_at,
            registered_at=row.created_at,
            updated_at=row.updated_at,
            pk=row.id,
            organization_id=row.organization_id,
            area_id=row.area_id,
            location_id=row.location_id,
            area_row=area,
            location_row=location,
        )

    licenses: list[License] = strawberry.field(
        resolver=device_licenses,
        description="The licenses the device holds now: at most one per product (a short list).",
    )

    def _area(self, info: strawberry.Info) -> Area | Awaitable[Area]:
        if self.area_row is not None:
            return Area.from_row(self.area_row)
        return _load_area(info, self.area_id)

    area: Area | Awaitable[Area] = strawberry.field(
        resolver=_area, graphql_type=Area, description="The area the device is placed in."
    )

    def _location(self, info: strawberry.Info) -> Location | Awaitable[Location]:
        if self.location_row is not None:
            return Location.from_row(self.location_row)
        return _load_location(info, self.location_id)

    location: Location | Awaitable[Location] = strawberry.field(
        resolver=_location, graphql_type=Location, description="The location of the device's area."
    )


async def _load_area(info: strawberry.Info, area_id: uuid.UUID) -> Area:
    row = await context_of(info).loaders.area_by_id.load(area_id)
    assert row is not None  # a device's area exists (foreign key)
    return Area.from_row(row)


async def _load_location(info: strawberry.Info, location_id: uuid.UUID) -> Location:
    row = await context_of(info).loaders.location_by_id.load(location_id)
    assert row is not None
    return Location.from_row(row)


@strawberry.type(description="A page of devices.")
class DeviceConnection(Connection[Device]):
    pass


def devices_page(
    page: Page[DeviceRow],
    counts: DataLoader[uuid.UUID, DeviceCountsValue],
    key: uuid.UUID,
) -> DeviceConnection:
    """A nested device connection whose totalCount comes from a per-parent counts loader."""

    async def total() -> int:
        return (await counts.load(key)).total

    return make_connection(DeviceConnection, page, Device.from_row, total)
