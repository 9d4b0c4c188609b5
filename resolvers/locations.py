"""Locations and areas: queries and mutations (thin: arguments → one service call → types)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.locations import areas, service
from domain.locations.service import KEEP, LocationInput
from kit.ids import parse_uuid
from resolvers._payload import mutate
from schema.context import context_of
from schema.scope import object_id, organization_scope
from schema.types.locations import (
    Area,
    CreateAreaInput,
    CreateAreaPayload,
    CreateLocationInput,
    CreateLocationPayload,
    DeleteAreaInput,
    DeleteAreaPayload,
    DeleteLocationInput,
    DeleteLocationPayload,
    Location,
    LocationConnection,
    MoveAreaInput,
    MoveAreaPayload,
    RenameAreaInput,
    RenameAreaPayload,
    UpdateLocationInput,
    UpdateLocationPayload,
    locations,
)

ID_FIELD = ("input", "id")


async def location(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The location's id.")],
) -> Location | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    location_id = parse_uuid(id)
    if location_id is None:
        return None
    async with ctx.services.db.read_session() as session:
        row = await service.get_location(session, principal, location_id)
    return Location.from_row(row) if row else None


async def area(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The area's id.")],
) -> Area | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    area_id = parse_uuid(id)
    if area_id is None:
        return None
    async with ctx.services.db.read_session() as session:
        row = await service.get_area(session, principal, area_id)
    return Area.from_row(row) if row else None


@strawberry.type
class LocationQuery:
    locations: LocationConnection = strawberry.field(
        resolver=locations,
        description="The organization's locations (default: the working organization).",
    )
    location: Location | None = strawberry.field(
        resolver=location, description="A location, or null when there is none you can see."
    )
    area: Area | None = strawberry.field(
        resolver=area, description="An area, or null when there is none you can see."
    )


async def create_location(
    info: strawberry.Info,
    input: Annotated[
        CreateLocationInput,
        strawberry.argument(
            description="The new location's organization, name, time zone and address."
        ),
    ],
) -> CreateLocationPayload:

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> CreateLocationPayload:
        organization = organization_scope(
            principal, input.organization_id, ("input", "organizationId")
        )
        row = await service.create_location(
            session,
            principal,
            meta,
            organization,
            LocationInput(name=input.name, time_zone=input.time_zone, address=input.address),
        )
        return CreateLocationPayload(location=Location.from_row(row))

    return await mutate(info, CreateLocationPayload, use_case)


async def update_location(
    info: strawberry.Info,
    input: Annotated[
        UpdateLocationInput, strawberry.argument(description="The location and what changes.")
    ],
) -> UpdateLocationPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> UpdateLocationPayload:
        location_id = object_id(input.id, "location", ID_FIELD)
        data = LocationInput(
            name=input.name,
            time_zone=input.time_zone,
            address=KEEP if input.address is strawberry.UNSET else input.address,
        )
        row = await service.update_location(session, principal, meta, location_id, data)
        return UpdateLocationPayload(location=Location.from_row(row))

    return await mutate(info, UpdateLocationPayload, use_case)


async def delete_location(
    info: strawberry.Info,
    input: Annotated[
        DeleteLocationInput, strawberry.argument(description="The location to delete.")
    ],
) -> DeleteLocationPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> DeleteLocationPayload:
        location_id = object_id(input.id, "location", ID_FIELD)
        deleted = await service.delete_location(session, principal, meta, location_id)
        return DeleteLocationPayload(deleted_location_id=strawberry.ID(str(deleted)))

    return await mutate(info, DeleteLocationPayload, use_case)


async def create_area(
    info: strawberry.Info,
    input: Annotated[
        CreateAreaInput, strawberry.argument(description="The location and the new area's name.")
    ],
) -> CreateAreaPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> CreateAreaPayload:
        location_id = object_id(input.location_id, "location", ("input", "locationId"))
        row = await areas.create_area(session, principal, meta, location_id, input.name)
        return CreateAreaPayload(area=Area.from_row(row))

    return await mutate(info, CreateAreaPayload, use_case)


async def rename_area(
    info: strawberry.Info,
    input: Annotated[
        RenameAreaInput, strawberry.argument(description="The area and its new name.")
    ],
) -> RenameAreaPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RenameAreaPayload:
        area_id = object_id(input.id, "area", ID_FIELD)
        row = await areas.rename_area(session, principal, meta, area_id, input.name)
        return RenameAreaPayload(area=Area.from_row(row))

    return await mutate(info, RenameAreaPayload, use_case)


async def move_area(
    info: strawberry.Info,
    input: Annotated[
        MoveAreaInput, strawberry.argument(description="The area and the location to move it to.")
    ],
) -> MoveAreaPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> MoveAreaPayload:
        area_id = object_id(input.id, "area", ID_FIELD)
        location_id = object_id(input.location_id, "location", ("input", "locationId"))
        row = await areas.move_area(session, principal, meta, area_id, location_id)
        return MoveAreaPayload(area=Area.from_row(row))

    return await mutate(info, MoveAreaPayload, use_case)


async def delete_area(
    info: strawberry.Info,
    input: Annotated[DeleteAreaInput, strawberry.argument(description="The area to delete.")],
) -> DeleteAreaPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> DeleteAreaPayload:
        area_id = object_id(input.id, "area", ID_FIELD)
        deleted = await areas.delete_area(session, principal, meta, area_id)
        return DeleteAreaPayload(deleted_area_id=strawberry.ID(str(deleted)))

    return await mutate(info, DeleteAreaPayload, use_case)


@strawberry.type
class LocationMutation:
    create_location: CreateLocationPayload = strawberry.mutation(
        resolver=create_location,
        description="Add a location to an organization (default: the working one).",
    )
    update_location: UpdateLocationPayload = strawberry.mutation(
        resolver=update_location,
        description="Rename a location, or change its time zone or address.",
    )
    delete_location: DeleteLocationPayload = strawberry.mutation(
        resolver=delete_location,
        description="Delete a location and its areas. Refused while it holds devices "
        "(LOCATION_NOT_EMPTY) and for the default location (CANNOT_DELETE_DEFAULT).",
    )
    create_area: CreateAreaPayload = strawberry.mutation(
        resolver=create_area, description="Add an area to a location."
    )
    rename_area: RenameAreaPayload = strawberry.mutation(
        resolver=rename_area,
        description="Give an area a new name, unique in its location whatever the case.",
    )
    move_area: MoveAreaPayload = strawberry.mutation(
        resolver=move_area,
        description="Move an area (with its devices) to another location of the same organization.",
    )
    delete_area: DeleteAreaPayload = strawberry.mutation(
        resolver=delete_area,
        description="Delete an area. Refused while it holds devices (AREA_NOT_EMPTY) and for the "
        "default area (CANNOT_DELETE_DEFAULT).",
    )
