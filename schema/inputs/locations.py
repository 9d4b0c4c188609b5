"""Inputs and payloads of the location and area mutations."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.types.location import Area, Location


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
class CreateLocationPayload:
    location: Location | None = strawberry.field(description="The new location (null on failure).")
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The changed location, or why not.")
class UpdateLocationPayload:
    location: Location | None = strawberry.field(
        description="The location after the change (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The deleted location, or why not.")
class DeleteLocationPayload:
    deleted_location_id: strawberry.ID | None = strawberry.field(
        description="The deleted location's id (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The new area, or why not.")
class CreateAreaPayload:
    area: Area | None = strawberry.field(description="The new area (null on failure).")
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The renamed area, or why not.")
class RenameAreaPayload:
    area: Area | None = strawberry.field(
        description="The area with its new name (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The moved area, or why not.")
class MoveAreaPayload:
    area: Area | None = strawberry.field(
        description="The area in its new location (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The deleted area, or why not.")
class DeleteAreaPayload:
    deleted_area_id: strawberry.ID | None = strawberry.field(
        description="The deleted area's id (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )
