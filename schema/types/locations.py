"""Locations and areas.

Edge fields resolve through the request's DataLoaders only (no sessions, no SQL here). The
resolver that produced the parent has checked that the viewer may read its organization; children
and parents reached from it belong to the same organization.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.models import Area as AreaRow
from db.models import Location as LocationRow
from domain.devices.types import DeviceCounts as DeviceCountsValue
from domain.enums import DeviceStatus
from kit.pagination import make_page
from schema.arguments import AFTER, FIRST
from schema.context import context_of
from schema.errors import UserError
from schema.paging import page_args
from schema.payloads import Payload
from schema.relay import Connection, make_connection
from schema.types.node import Node

if TYPE_CHECKING:
    from schema.types.devices import DeviceConnection
from domain.locations import service
from schema.arguments import ORGANIZATION
from schema.scope import organization_scope

DeviceConnectionRef = Annotated["DeviceConnection", strawberry.lazy("schema.types.devices")]


@strawberry.type(description="How many devices, in all and by status.")
class DeviceCounts:
    total: int = strawberry.field(description="All devices.")
    pending: int = strawberry.field(description="Devices registered but never connected.")
    online: int = strawberry.field(description="Devices connected now.")
    offline: int = strawberry.field(
        description="Devices that connected before and are not connected now."
    )

    @classmethod
    def from_value(cls, value: DeviceCountsValue) -> DeviceCounts:
        return cls(
            total=value.total,
            pending=value.of(DeviceStatus.PENDING),
            online=value.of(DeviceStatus.ONLINE),
            offline=value.of(DeviceStatus.OFFLINE),
        )


@strawberry.type(description="A site of an organization, with its own time zone.")
class Location(Node):
    id: strawberry.ID = strawberry.field(description="The location's id.")
    name: str = strawberry.field(
        description="The location's name, unique in its organization whatever the case."
    )
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Europe/Berlin.")
    address: str | None = strawberry.field(description="Postal address as entered, or null.")
    is_default: bool = strawberry.field(
        description="The organization's default location: it holds the default area and cannot "
        "be deleted."
    )
    created_at: datetime = strawberry.field(description="When the location was created.")
    updated_at: datetime = strawberry.field(
        description="When the location last changed (name, time zone or address)."
    )
    pk: strawberry.Private[uuid.UUID]
    organization_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: LocationRow) -> Location:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            time_zone=row.time_zone,
            address=row.address,
            is_default=row.is_default,
            created_at=row.created_at,
            updated_at=row.updated_at,
            pk=row.id,
            organization_id=row.organization_id,
        )

    async def _areas(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> AreaConnection:
        ctx = context_of(info)
        page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
        rows = await ctx.loaders.areas_by_location_id.load((self.pk, page))
        return make_connection(
            AreaConnection,
            make_page(rows, page),
            Area.from_row,
            lambda: ctx.loaders.area_count_by_location_id.load(self.pk),
        )

    areas: AreaConnection = strawberry.field(
        resolver=_areas, description="The location's areas, in the order they were created."
    )

    async def _devices(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> DeviceConnectionRef:
        from schema.types.devices import devices_page

        ctx = context_of(info)
        page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
        rows = await ctx.loaders.devices_by_location_id.load((self.pk, page))
        return devices_page(
            make_page(rows, page),
            ctx.loaders.device_counts_by_location_id,
            self.pk,
        )

    devices: DeviceConnectionRef = strawberry.field(
        resolver=_devices, description="The devices in this location (in any of its areas)."
    )

    async def _device_counts(self, info: strawberry.Info) -> DeviceCounts:
        counts = await context_of(info).loaders.device_counts_by_location_id.load(self.pk)
        return DeviceCounts.from_value(counts)

    device_counts: DeviceCounts = strawberry.field(
        resolver=_device_counts, description="How many devices this location holds, by status."
    )


@strawberry.type(description="A part of a location (a floor, a car park) where devices are placed.")
class Area(Node):
    id: strawberry.ID = strawberry.field(description="The area's id.")
    name: str = strawberry.field(
        description="The area's name, unique in its location whatever the case."
    )
    is_default: bool = strawberry.field(
        description="The organization's default area: where a device goes when no area is "
        "named. It stays in the default location and cannot be deleted."
    )
    created_at: datetime = strawberry.field(description="When the area was created.")
    updated_at: datetime = strawberry.field(
        description="When the area last changed (rename or move)."
    )
    pk: strawberry.Private[uuid.UUID]
    organization_id: strawberry.Private[uuid.UUID]
    location_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: AreaRow) -> Area:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            is_default=row.is_default,
            created_at=row.created_at,
            updated_at=row.updated_at,
            pk=row.id,
            organization_id=row.organization_id,
            location_id=row.location_id,
        )

    async def _devices(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> DeviceConnectionRef:
        from schema.types.devices import devices_page

        ctx = context_of(info)
        page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
        rows = await ctx.loaders.devices_by_area_id.load((self.pk, page))
        return devices_page(make_page(rows, page), ctx.loaders.device_counts_by_area_id, self.pk)

    devices: DeviceConnectionRef = strawberry.field(
        resolver=_devices, description="The devices in this area."
    )

    async def _device_counts(self, info: strawberry.Info) -> DeviceCounts:
        counts = await context_of(info).loaders.device_counts_by_area_id.load(self.pk)
        return DeviceCounts.from_value(counts)

    device_counts: DeviceCounts = strawberry.field(
        resolver=_device_counts, description="How many devices this area holds, by status."
    )

    async def _location(self, info: strawberry.Info) -> Location:
        row = await context_of(info).loaders.location_by_id.load(self.location_id)
        assert row is not None  # an area's location exists (foreign key)
        return Location.from_row(row)

    location: Location = strawberry.field(
        resolver=_location, description="The location the area belongs to."
    )


@strawberry.type(description="A page of locations.")
class LocationConnection(Connection[Location]):
    pass


@strawberry.type(description="A page of areas.")
class AreaConnection(Connection[Area]):
    pass


# --- inputs and payloads of the mutations (resolvers/locations.py)


@strawberry.input(description="A new location of an organization.")
class CreateLocationInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the working organization."
    )
    name: str = strawberry.field(description="Unique in the organization, whatever the case.")
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Europe/Berlin.")
    address: str | None = strawberry.field(default=None, description="Postal address (optional).")


@strawberry.input(description="A location and the fields to change.")
class UpdateLocationInput:
    id: strawberry.ID = strawberry.field(description="The location's id.")
    name: str | None = strawberry.field(default=None, description="Omitted: unchanged.")
    time_zone: str | None = strawberry.field(default=None, description="Omitted: unchanged.")
    address: str | None = strawberry.field(
        default=strawberry.UNSET, description="Omitted: unchanged; null or empty: removed."
    )


@strawberry.input(description="A location to delete.")
class DeleteLocationInput:
    id: strawberry.ID = strawberry.field(description="The location's id.")


@strawberry.input(description="A new area in a location.")
class CreateAreaInput:
    location_id: strawberry.ID = strawberry.field(description="The location's id.")
    name: str = strawberry.field(description="Unique in the location, whatever the case.")


@strawberry.input(description="An area and its new name.")
class RenameAreaInput:
    id: strawberry.ID = strawberry.field(description="The area's id.")
    name: str = strawberry.field(
        description="The new name, unique in the location whatever the case."
    )


@strawberry.input(description="An area and the location to move it to.")
class MoveAreaInput:
    id: strawberry.ID = strawberry.field(description="The area's id.")
    location_id: strawberry.ID = strawberry.field(
        description="A location of the same organization; the area's devices move with it."
    )


@strawberry.input(description="An area to delete.")
class DeleteAreaInput:
    id: strawberry.ID = strawberry.field(description="The area's id.")


@strawberry.type(description="The new location, or why not.")
class CreateLocationPayload(Payload):
    location: Location | None = strawberry.field(
        default=None, description="The new location (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The changed location, or why not.")
class UpdateLocationPayload(Payload):
    location: Location | None = strawberry.field(
        default=None, description="The location after the change (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The deleted location, or why not.")
class DeleteLocationPayload(Payload):
    deleted_location_id: strawberry.ID | None = strawberry.field(
        default=None, description="The deleted location's id (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The new area, or why not.")
class CreateAreaPayload(Payload):
    area: Area | None = strawberry.field(
        default=None, description="The new area (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The renamed area, or why not.")
class RenameAreaPayload(Payload):
    area: Area | None = strawberry.field(
        default=None, description="The area with its new name (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The moved area, or why not.")
class MoveAreaPayload(Payload):
    area: Area | None = strawberry.field(
        default=None, description="The area in its new location (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The deleted area, or why not.")
class DeleteAreaPayload(Payload):
    deleted_area_id: strawberry.ID | None = strawberry.field(
        default=None, description="The deleted area's id (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


# --- list resolvers shared by Query (resolvers/locations.py) and other types' edges


async def locations(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> LocationConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    organization = organization_scope(principal, organization_id)
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    async with ctx.services.db.read_session() as session:
        result = await service.list_locations(session, principal, organization, page)

    async def count() -> int:
        async with ctx.services.db.read_session() as session:
            return await service.count_locations(session, organization)

    return make_connection(LocationConnection, result, Location.from_row, count)
