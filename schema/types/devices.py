"""Devices' GraphQL face (domain/devices): ``Device``, its list (``devices``, shared by
``Query.devices`` and ``Organization.devices``), and the inputs and payloads of its mutations.

To add a field (licenses attach to devices): add a ``@strawberry.field`` method here that resolves
through a DataLoader keyed by ``self.pk`` (or ``self.organization_id``); the device itself was
already authorized by the resolver that produced it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader

from db.device_search import search_terms
from db.models import Device as DeviceRow
from domain.devices import service
from domain.devices.types import DeviceCounts as DeviceCountsValue
from domain.devices.types import DeviceFilter as Filter
from kit.ids import parse_uuid
from kit.pagination import Page
from schema.arguments import AFTER, FIRST, ORGANIZATION
from schema.context import context_of
from schema.enums import DeviceKind, DeviceStatus
from schema.errors import UserError
from schema.execution import preloaded
from schema.lookahead import selected_below
from schema.paging import check_search, page_args
from schema.payloads import Payload
from schema.relay import Connection, make_connection
from schema.scope import organization_scope
from schema.types.licenses import License, device_licenses
from schema.types.locations import Area, Location
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
    # Loaded with the page when the client asked for them (``devices`` below): the fields then
    # answer synchronously instead of costing a coroutine and a DataLoader future per device.
    # One object per area and location of the page, shared by its devices.
    area_value: strawberry.Private[Area | None] = None
    location_value: strawberry.Private[Location | None] = None

    @classmethod
    def from_row(
        cls, row: DeviceRow, area: Area | None = None, location: Location | None = None
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
            area_value=area,
            location_value=location,
        )

    licenses: list[License] = strawberry.field(
        resolver=device_licenses,
        description="The licenses the device holds now: at most one per product (a short list).",
    )

    @preloaded("area_value")
    def _area(self, info: strawberry.Info) -> Area | Awaitable[Area]:
        if self.area_value is not None:
            return self.area_value
        return _load_area(info, self.area_id)

    area: Area | Awaitable[Area] = strawberry.field(
        resolver=_area, graphql_type=Area, description="The area the device is placed in."
    )

    @preloaded("location_value")
    def _location(self, info: strawberry.Info) -> Location | Awaitable[Location]:
        if self.location_value is not None:
            return self.location_value
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


# --- inputs and payloads of the mutations (resolvers/devices.py)


@strawberry.input(description="Every given criterion must hold.")
class DeviceFilter:
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only devices in this location."
    )
    area_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only devices in this area."
    )
    kind: DeviceKind | None = strawberry.field(
        default=None, description="Only cameras or only recorders."
    )
    status: DeviceStatus | None = strawberry.field(
        default=None, description="Only devices in this connection state."
    )


@strawberry.input(description="A camera or recorder to register.")
class RegisterDeviceInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Defaults to the area's organization, or else the working organization.",
    )
    area_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the organization's default area."
    )
    kind: DeviceKind = strawberry.field(description="CAMERA or RECORDER.")
    serial_number: str = strawberry.field(
        description="4 to 64 of A-Z 0-9 - . _ / (stored upper case). Unique in the platform."
    )
    mac_address: str = strawberry.field(
        description="AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff "
        "(stored aa:bb:cc:dd:ee:ff). Unique in the platform."
    )
    model: str = strawberry.field(description="The model name, as printed on the device.")
    name: str | None = strawberry.field(default=None, description="Defaults to the serial number.")


@strawberry.input(description="A device and its new name.")
class RenameDeviceInput:
    id: strawberry.ID = strawberry.field(description="The device's id.")
    name: str = strawberry.field(description="The new display name.")


@strawberry.input(description="A device and the area to move it to.")
class MoveDeviceInput:
    id: strawberry.ID = strawberry.field(description="The device's id.")
    area_id: strawberry.ID = strawberry.field(description="An area of the same organization.")


@strawberry.input(description="A device to remove.")
class RemoveDeviceInput:
    id: strawberry.ID = strawberry.field(description="The device's id.")


@strawberry.type(description="The registered device, or why not.")
class RegisterDevicePayload(Payload):
    device: Device | None = strawberry.field(
        default=None, description="The new device, PENDING until it connects (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The renamed device, or why not.")
class RenameDevicePayload(Payload):
    device: Device | None = strawberry.field(
        default=None, description="The device with its new name (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The moved device, or why not.")
class MoveDevicePayload(Payload):
    device: Device | None = strawberry.field(
        default=None, description="The device in its new area (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The removed device, or why not.")
class RemoveDevicePayload(Payload):
    removed_device_id: strawberry.ID | None = strawberry.field(
        default=None, description="The removed device's id (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


# --- list resolvers shared by Query (resolvers/devices.py) and other types' edges


def device_filter(filter: DeviceFilter | None, search: str | None) -> Filter | None:
    """The domain's filter, or None when it cannot match anything (an id that is no UUID)."""
    check_search(search)
    terms = tuple(search_terms(search)) if search else ()
    if filter is None:
        return Filter(search_terms=terms)
    location_id = area_id = None
    if filter.location_id is not None:
        location_id = parse_uuid(filter.location_id)
        if location_id is None:
            return None
    if filter.area_id is not None:
        area_id = parse_uuid(filter.area_id)
        if area_id is None:
            return None
    return Filter(
        location_id=location_id,
        area_id=area_id,
        kind=filter.kind,
        status=filter.status,
        search_terms=terms,
    )


async def devices(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
    search: Annotated[
        str | None,
        strawberry.argument(
            description="Part of the name, serial number, MAC address or model, whatever the case (at most 200 characters)."
        ),
    ] = None,
    filter: Annotated[
        DeviceFilter | None,
        strawberry.argument(
            description="Narrow the list by location, area, kind and status; every given criterion must hold."
        ),
    ] = None,
) -> DeviceConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    organization = organization_scope(principal, organization_id)
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    where = device_filter(filter, search)
    wanted = selected_below(info.selected_fields, ("edges", "node"))
    async with ctx.services.db.read_session() as session:  # the page and its places: one session
        result = await service.list_devices(
            session, principal, organization, where or Filter(), page
        )
        areas, locations = await service.places_of(
            session, result.items, areas="area" in wanted, locations="location" in wanted
        )
    if where is None:
        result = Page(items=[], has_next_page=False, has_previous_page=page.after is not None)

    async def count() -> int:
        if where is None:
            return 0
        async with ctx.services.db.read_session() as session:
            return await service.count_devices(session, organization, where)

    area_of = {key: Area.from_row(row) for key, row in areas.items()}
    location_of = {key: Location.from_row(row) for key, row in locations.items()}
    return make_connection(
        DeviceConnection,
        result,
        lambda row: Device.from_row(
            row, area_of.get(row.area_id), location_of.get(row.location_id)
        ),
        count,
    )
