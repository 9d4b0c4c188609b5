"""Who may read and change locations and areas (PRODUCT.md §2), and that another tenant's ids
behave exactly like missing ones."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from runtime import Services
from tests.factories import Actor
from tests.locations.queries import (
    AREA,
    CREATE_AREA,
    CREATE_LOCATION,
    DELETE_AREA,
    DELETE_LOCATION,
    LOCATION,
    LOCATIONS,
    MOVE_AREA,
    RENAME_AREA,
    UPDATE_LOCATION,
)
from tests.locations.support import defaults, new_area, new_location
from tests.support.access import (
    Op,
    assert_allowed,
    assert_forbidden,
    assert_looks_missing,
    not_found_payload,
)
from tests.support.gql import data, error_code
from tests.support.roles import Cast, create_cast
from tests.support.server import LiveServer


@dataclass
class World:
    cast: Cast
    organization: str
    default_location: str
    location: str  # a second location, with two areas
    area: str
    spare_area: str
    empty_location: str

    @property
    def ids(self) -> list[str]:
        return [
            self.organization,
            self.default_location,
            self.location,
            self.area,
            self.spare_area,
            self.empty_location,
        ]

    def writes(self) -> list[Op]:
        return [
            Op(
                "createLocation",
                CREATE_LOCATION,
                {"input": {"organizationId": self.organization, "name": "New", "timeZone": "UTC"}},
            ),
            Op("updateLocation", UPDATE_LOCATION, {"input": {"id": self.location, "name": "B2"}}),
            Op("createArea", CREATE_AREA, {"input": {"locationId": self.location, "name": "N"}}),
            Op("renameArea", RENAME_AREA, {"input": {"id": self.area, "name": "Renamed"}}),
            Op(
                "moveArea",
                MOVE_AREA,
                {"input": {"id": self.area, "locationId": self.default_location}},
            ),
            Op("deleteArea", DELETE_AREA, {"input": {"id": self.spare_area}}),
            Op("deleteLocation", DELETE_LOCATION, {"input": {"id": self.empty_location}}),
        ]

    def reads(self) -> list[Op]:
        return [
            Op("locations", LOCATIONS, {"org": self.organization}),
            Op("location", LOCATION, {"id": self.location}),
            Op("area", AREA, {"id": self.area}),
        ]


async def build_world(live: LiveServer, services: Services) -> World:
    cast = await create_cast(services)
    owner = cast.super_admin
    default_location, _ = await defaults(live, owner)
    location = await new_location(live, owner, "Berlin")
    return World(
        cast=cast,
        organization=str(cast.organization.id),
        default_location=default_location,
        location=location,
        area=await new_area(live, owner, location, "Lobby"),
        spare_area=await new_area(live, owner, location, "Spare"),
        empty_location=await new_location(live, owner, "Empty"),
    )


@pytest.mark.parametrize("role", ["super_admin", "admin", "technician"])
async def test_managers_may_do_everything(live: LiveServer, services: Services, role: str) -> None:
    world = await build_world(live, services)
    actor: Actor = getattr(world.cast, role)
    for op in world.reads():
        assert await assert_allowed(live, actor, op) is not None
    for op in world.writes():
        await assert_allowed(live, actor, op)


@pytest.mark.parametrize("role", ["user", "internal_admin"])
async def test_readers_may_read_but_not_write(
    live: LiveServer, services: Services, role: str
) -> None:
    world = await build_world(live, services)
    actor: Actor = getattr(world.cast, role)
    listed = await assert_allowed(live, actor, world.reads()[0])
    assert {e["node"]["id"] for e in listed["edges"]} == {
        world.default_location,
        world.location,
        world.empty_location,
    }
    for op in world.reads()[1:]:
        assert await assert_allowed(live, actor, op) is not None
    for op in world.writes():
        await assert_forbidden(live, actor, op)
    # Nothing changed.
    owner = world.cast.super_admin
    assert (await data(live, owner, AREA, {"id": world.spare_area}))["area"] is not None
    assert (await data(live, owner, LOCATION, {"id": world.location}))["location"]["name"] == (
        "Berlin"
    )


async def test_a_stranger_finds_nothing(live: LiveServer, services: Services) -> None:
    world = await build_world(live, services)
    stranger = world.cast.stranger
    for op in world.writes():
        body = await assert_looks_missing(live, stranger, op, world.ids)
        not_found_payload(body, op.name)
    listed = await assert_looks_missing(live, stranger, world.reads()[0], world.ids)
    assert error_code(listed) == "NOT_FOUND"
    assert listed["data"] is None
    for op in world.reads()[1:]:
        body = await assert_looks_missing(live, stranger, op, world.ids)
        assert body == {"data": {op.name: None}}
    # Its own lists hold none of them.
    own = await data(live, stranger, LOCATIONS, {})
    assert not {e["node"]["id"] for e in own["locations"]["edges"]} & set(world.ids)
    # And its own objects cannot be joined to the other tenant's.
    own_location, own_area = await defaults(live, stranger)
    moved = await assert_looks_missing(
        live,
        stranger,
        Op("moveArea", MOVE_AREA, {"input": {"id": own_area, "locationId": world.location}}),
        [world.location],
    )
    assert [e["field"] for e in not_found_payload(moved, "moveArea")] == [["input", "locationId"]]
    spare = await new_area(live, stranger, own_location, "Spare")
    moved = await assert_looks_missing(
        live,
        stranger,
        Op("moveArea", MOVE_AREA, {"input": {"id": spare, "locationId": world.location}}),
        [world.location],
    )
    not_found_payload(moved, "moveArea")
    # The owner's objects are untouched.
    owner = world.cast.super_admin
    assert (await data(live, owner, AREA, {"id": world.spare_area}))["area"]["name"] == "Spare"


async def test_the_internal_admin_reads_any_organization_by_name_only(
    live: LiveServer, services: Services
) -> None:
    world = await build_world(live, services)
    internal = world.cast.internal_admin
    # Without organizationId it works in its own (internal) organization, which has no locations.
    own = await data(live, internal, LOCATIONS, {})
    assert own["locations"]["edges"] == []
    # An organization that does not exist is not found, for it too.
    missing = await live.graphql(
        LOCATIONS, {"org": "00000000-0000-7000-8000-000000000000"}, headers=internal.headers
    )
    assert error_code(missing) == "NOT_FOUND"
