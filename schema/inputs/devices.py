"""Inputs and payloads of the device queries and mutations."""

from __future__ import annotations

import strawberry

from schema.enums import DeviceKind, DeviceStatus
from schema.errors import UserError
from schema.types.device import Device


@strawberry.input(description="Every given criterion must hold.")
class DeviceFilter:
    location_id: strawberry.ID | None = None
    area_id: strawberry.ID | None = None
    kind: DeviceKind | None = None
    status: DeviceStatus | None = None


@strawberry.input
class RegisterDeviceInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Defaults to the area's organization, or else the working organization.",
    )
    area_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the organization's default area."
    )
    kind: DeviceKind
    serial_number: str = strawberry.field(
        description="4 to 64 of A-Z 0-9 - . _ / (stored upper case). Unique in the platform."
    )
    mac_address: str = strawberry.field(
        description="AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff "
        "(stored aa:bb:cc:dd:ee:ff). Unique in the platform."
    )
    model: str
    name: str | None = strawberry.field(default=None, description="Defaults to the serial number.")


@strawberry.input
class RenameDeviceInput:
    id: strawberry.ID
    name: str


@strawberry.input
class MoveDeviceInput:
    id: strawberry.ID
    area_id: strawberry.ID = strawberry.field(description="An area of the same organization.")


@strawberry.input
class RemoveDeviceInput:
    id: strawberry.ID


@strawberry.type
class RegisterDevicePayload:
    device: Device | None
    user_errors: list[UserError]


@strawberry.type
class RenameDevicePayload:
    device: Device | None
    user_errors: list[UserError]


@strawberry.type
class MoveDevicePayload:
    device: Device | None
    user_errors: list[UserError]


@strawberry.type
class RemoveDevicePayload:
    removed_device_id: strawberry.ID | None
    user_errors: list[UserError]
