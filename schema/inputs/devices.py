"""Inputs and payloads of the device queries and mutations."""

from __future__ import annotations

import strawberry

from schema.enums import DeviceKind, DeviceStatus
from schema.errors import UserError
from schema.types.device import Device


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
class RegisterDevicePayload:
    device: Device | None = strawberry.field(
        description="The new device, PENDING until it connects (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The renamed device, or why not.")
class RenameDevicePayload:
    device: Device | None = strawberry.field(
        description="The device with its new name (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The moved device, or why not.")
class MoveDevicePayload:
    device: Device | None = strawberry.field(
        description="The device in its new area (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The removed device, or why not.")
class RemoveDevicePayload:
    removed_device_id: strawberry.ID | None = strawberry.field(
        description="The removed device's id (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )
