"""Devices: queries and mutations (thin: arguments → one service call → types)."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db.device_search import search_terms
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.devices import registration, service
from domain.devices.registration import ConflictBudget, Registration
from domain.devices.types import DeviceFilter as Filter
from kit.ids import parse_uuid
from kit.pagination import Page
from resolvers._lookahead import selected_below
from resolvers._paging import check_search, page_args
from resolvers._payload import in_unit_of_work, run_mutation
from resolvers._scope import object_id, organization_scope
from resolvers.context import context_of
from schema.arguments import AFTER, FIRST, ORGANIZATION
from schema.inputs.devices import (
    DeviceFilter,
    MoveDeviceInput,
    MoveDevicePayload,
    RegisterDeviceInput,
    RegisterDevicePayload,
    RemoveDeviceInput,
    RemoveDevicePayload,
    RenameDeviceInput,
    RenameDevicePayload,
)
from schema.relay import make_connection
from schema.types.device import Device, DeviceConnection
from schema.types.location import DeviceCounts

ID_FIELD = ("input", "id")


def _filter(filter: DeviceFilter | None, search: str | None) -> Filter | None:
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
    where = _filter(filter, search)
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

    return make_connection(
        DeviceConnection,
        result,
        lambda row: Device.from_row(row, areas.get(row.area_id), locations.get(row.location_id)),
        count,
    )


async def device(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The device's id.")],
) -> Device | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    device_id = parse_uuid(id)
    if device_id is None:
        return None
    async with ctx.services.db.read_session() as session:
        row = await service.get_device(session, principal, device_id)
    return Device.from_row(row) if row else None


async def device_counts(
    info: strawberry.Info, organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None
) -> DeviceCounts:
    ctx = context_of(info)
    principal = await ctx.principal()
    organization = organization_scope(principal, organization_id)
    async with ctx.services.db.read_session() as session:
        counts = await service.device_counts(session, principal, organization)
    return DeviceCounts.from_value(counts)


@strawberry.type
class DeviceQuery:
    devices: DeviceConnection = strawberry.field(
        resolver=devices,
        description="The organization's devices (default: the working organization), oldest "
        "first. `search` matches any part of the name, serial number, MAC address (with any "
        "separators) or model, whatever the case.",
    )
    device: Device | None = strawberry.field(
        resolver=device, description="A device, or null when there is none you can see."
    )
    device_counts: DeviceCounts = strawberry.field(
        resolver=device_counts,
        description="How many devices the organization has, by status.",
    )


def _optional_id(raw: strawberry.ID | None, what: str, field: tuple[str, ...]) -> uuid.UUID | None:
    return None if raw is None else object_id(raw, what, field)


async def register_device(
    info: strawberry.Info,
    input: Annotated[
        RegisterDeviceInput,
        strawberry.argument(
            description="The device's kind, serial number, MAC address, model and where to place it."
        ),
    ],
) -> RegisterDevicePayload:
    ctx = context_of(info)
    principal = await ctx.principal()

    async def run() -> Device:
        area_id = _optional_id(input.area_id, "area", ("input", "areaId"))
        organization_id = _optional_id(
            input.organization_id, "organization", ("input", "organizationId")
        )
        if area_id is None and organization_id is None:
            organization_id = organization_scope(principal, None)
        data = Registration(
            kind=input.kind,
            serial_number=input.serial_number,
            mac_address=input.mac_address,
            model=input.model,
            name=input.name,
        )
        async with ctx.services.db.unit_of_work() as session:
            row = await registration.register_device(
                session,
                principal,
                ctx.meta,
                data,
                organization_id=organization_id,
                area_id=area_id,
                budget=ConflictBudget(
                    ctx.services.limiter,
                    per_user=ctx.settings.rate_limit_device_conflict,
                    per_address=ctx.settings.rate_limit_device_conflict_per_address,
                ),
            )
            return Device.from_row(row)

    return await run_mutation(
        run,
        lambda row: RegisterDevicePayload(device=row, user_errors=[]),
        lambda errors: RegisterDevicePayload(device=None, user_errors=errors),
    )


async def rename_device(
    info: strawberry.Info,
    input: Annotated[
        RenameDeviceInput, strawberry.argument(description="The device and its new name.")
    ],
) -> RenameDevicePayload:
    async def action(session: AsyncSession, principal: Principal, meta: RequestMeta) -> Device:
        device_id = object_id(input.id, "device", ID_FIELD)
        row = await service.rename_device(session, principal, meta, device_id, input.name)
        return Device.from_row(row)

    return await run_mutation(
        await in_unit_of_work(info, action),
        lambda row: RenameDevicePayload(device=row, user_errors=[]),
        lambda errors: RenameDevicePayload(device=None, user_errors=errors),
    )


async def move_device(
    info: strawberry.Info,
    input: Annotated[
        MoveDeviceInput, strawberry.argument(description="The device and the area to move it to.")
    ],
) -> MoveDevicePayload:
    async def action(session: AsyncSession, principal: Principal, meta: RequestMeta) -> Device:
        device_id = object_id(input.id, "device", ID_FIELD)
        area_id = object_id(input.area_id, "area", ("input", "areaId"))
        row = await service.move_device(session, principal, meta, device_id, area_id)
        return Device.from_row(row)

    return await run_mutation(
        await in_unit_of_work(info, action),
        lambda row: MoveDevicePayload(device=row, user_errors=[]),
        lambda errors: MoveDevicePayload(device=None, user_errors=errors),
    )


async def remove_device(
    info: strawberry.Info,
    input: Annotated[RemoveDeviceInput, strawberry.argument(description="The device to remove.")],
) -> RemoveDevicePayload:
    async def action(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> strawberry.ID:
        device_id = object_id(input.id, "device", ID_FIELD)
        removed = await service.remove_device(session, principal, meta, device_id)
        return strawberry.ID(str(removed))

    return await run_mutation(
        await in_unit_of_work(info, action),
        lambda removed: RemoveDevicePayload(removed_device_id=removed, user_errors=[]),
        lambda errors: RemoveDevicePayload(removed_device_id=None, user_errors=errors),
    )


@strawberry.type
class DeviceMutation:
    register_device: RegisterDevicePayload = strawberry.mutation(
        resolver=register_device,
        description="Register a camera or recorder. A serial number or MAC address registered "
        "anywhere in the platform is refused (SERIAL_NUMBER_TAKEN / MAC_ADDRESS_TAKEN).",
    )
    rename_device: RenameDevicePayload = strawberry.mutation(
        resolver=rename_device, description="Give a device a new display name."
    )
    move_device: MoveDevicePayload = strawberry.mutation(
        resolver=move_device, description="Move a device to another area of the same organization."
    )
    remove_device: RemoveDevicePayload = strawberry.mutation(
        resolver=remove_device,
        description="Remove a device from the organization; its serial number and MAC address "
        "can then be registered again.",
    )
