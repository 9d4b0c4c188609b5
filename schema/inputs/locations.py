"""Inputs and payloads of the location and area mutations."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.types.location import Area, Location


@strawberry.input
class CreateLocationInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the working organization."
    )
    name: str = strawberry.field(description="Unique in the organization, whatever the case.")
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Europe/Berlin.")
    address: str | None = None


@strawberry.input
class UpdateLocationInput:
    id: strawberry.ID
    name: str | None = strawberry.field(default=None, description="Omitted: unchanged.")
    time_zone: str | None = strawberry.field(default=None, description="Omitted: unchanged.")
    address: str | None = strawberry.field(
        default=strawberry.UNSET, description="Omitted: unchanged; null or empty: removed."
    )


@strawberry.input
class DeleteLocationInput:
    id: strawberry.ID


@strawberry.input
class CreateAreaInput:
    location_id: strawberry.ID
    name: str = strawberry.field(description="Unique in the location, whatever the case.")


@strawberry.input
class RenameAreaInput:
    id: strawberry.ID
    name: str


@strawberry.input
class MoveAreaInput:
    id: strawberry.ID
    location_id: strawberry.ID = strawberry.field(
        description="A location of the same organization; the area's devices move with it."
    )


@strawberry.input
class DeleteAreaInput:
    id: strawberry.ID


@strawberry.type
class CreateLocationPayload:
    location: Location | None
    user_errors: list[UserError]


@strawberry.type
class UpdateLocationPayload:
    location: Location | None
    user_errors: list[UserError]


@strawberry.type
class DeleteLocationPayload:
    deleted_location_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class CreateAreaPayload:
    area: Area | None
    user_errors: list[UserError]


@strawberry.type
class RenameAreaPayload:
    area: Area | None
    user_errors: list[UserError]


@strawberry.type
class MoveAreaPayload:
    area: Area | None
    user_errors: list[UserError]


@strawberry.type
class DeleteAreaPayload:
    deleted_area_id: strawberry.ID | None
    user_errors: list[UserError]
