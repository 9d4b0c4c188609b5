"""Devices: queries and mutations (thin: arguments → one service call → types)."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.devices import registration, service
from domain.devices.registration import ConflictBudget, Registration
from kit.ids import parse_uuid
from resolvers._payload import mutate
from schema.arguments import ORGANIZATION
from schema.context import context_of
from schema.scope import object_id, organization_scope
from schema.types.devices import (
    Device,
    DeviceConnection,
    MoveDeviceInput,
    MoveDevicePayload,
    RegisterDeviceInput,
    RegisterDevicePayload,
    RemoveDeviceInput,
    RemoveDevicePayload,
    RenameDeviceInput,
    RenameDevicePayload,
    devices,
)
from schema.types.locations import DeviceCounts

ID_FIELD = ("input", "id")


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

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RegisterDevicePayload:
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
        row = await registration.register_device(
            session,
            principal,
            meta,
            data,
            organization_id=organization_id,
            area_id=area_id,
            budget=ConflictBudget(
                ctx.services.limiter,
                per_user=ctx.settings.rate_limit_device_conflict,
                per_address=ctx.settings.rate_limit_device_conflict_per_address,
            ),
        )
        return RegisterDevicePayload(device=Device.from_row(row))

    return await mutate(info, RegisterDevicePayload, use_case)


async def rename_device(
    info: strawberry.Info,
    input: Annotated[
        RenameDeviceInput, strawberry.argument(description="The device and its new name.")
    ],
) -> RenameDevicePayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RenameDevicePayload:
        device_id = object_id(input.id, "device", ID_FIELD)
        row = await service.rename_device(session, principal, meta, device_id, input.name)
        return RenameDevicePayload(device=Device.from_row(row))

    return await mutate(info, RenameDevicePayload, use_case)


async def move_device(
    info: strawberry.Info,
    input: Annotated[
        MoveDeviceInput, strawberry.argument(description="The device and the area to move it to.")
    ],
) -> MoveDevicePayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> MoveDevicePayload:
        device_id = object_id(input.id, "device", ID_FIELD)
        area_id = object_id(input.area_id, "area", ("input", "areaId"))
        row = await service.move_device(session, principal, meta, device_id, area_id)
        return MoveDevicePayload(device=Device.from_row(row))

    return await mutate(info, MoveDevicePayload, use_case)


async def remove_device(
    info: strawberry.Info,
    input: Annotated[RemoveDeviceInput, strawberry.argument(description="The device to remove.")],
) -> RemoveDevicePayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RemoveDevicePayload:
        device_id = object_id(input.id, "device", ID_FIELD)
        removed = await service.remove_device(session, principal, meta, device_id)
        return RemoveDevicePayload(removed_device_id=strawberry.ID(str(removed)))

    return await mutate(info, RemoveDevicePayload, use_case)


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
