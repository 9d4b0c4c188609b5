"""Areas over HTTP: create, rename, move (with their devices), delete; the default area."""

from __future__ import annotations

from domain.enums import Role
from runtime import Services
from tests.audit.support import audit_events
from tests.devices.queries import DEVICE, MOVE, REMOVE
from tests.devices.support import register
from tests.factories import create_actor
from tests.locations.queries import (
    AREA,
    CREATE_AREA,
    DELETE_AREA,
    DELETE_LOCATION,
    LOCATION,
    MOVE_AREA,
    RENAME_AREA,
)
from tests.locations.support import defaults, new_area, new_location
from tests.support.gql import codes, data, ok, user_errors
from tests.support.server import LiveServer


async def test_create_and_rename_areas(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    berlin = await new_location(live, actor, "Berlin")
    munich = await new_location(live, actor, "Munich")
    lobby = await new_area(live, actor, berlin, "Lobby")
    # Names are unique within a location, whatever the case, but may repeat across locations.
    errors = await user_errors(
        live, actor, CREATE_AREA, {"input": {"locationId": berlin, "name": "LOBBY"}}
    )
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "name"], "NAME_TAKEN")]
    await new_area(live, actor, munich, "Lobby")
    garage = await new_area(live, actor, berlin, "Garage")
    errors = await user_errors(live, actor, RENAME_AREA, {"input": {"id": garage, "name": "lobby"}})
    assert codes(errors) == ["NAME_TAKEN"]
    renamed = await ok(live, actor, RENAME_AREA, {"input": {"id": garage, "name": "Car park"}})
    assert renamed["area"]["name"] == "Car park"
    errors = await user_errors(live, actor, RENAME_AREA, {"input": {"id": garage, "name": ""}})
    assert codes(errors) == ["REQUIRED"]

    location = (await data(live, actor, LOCATION, {"id": berlin}))["location"]
    names = [e["node"]["name"] for e in location["areas"]["edges"]]
    assert names == ["Lobby", "Car park"]  # in the order they were created
    area = (await data(live, actor, AREA, {"id": lobby}))["area"]
    assert area["location"]["name"] == "Berlin"
    assert area["deviceCounts"]["total"] == 0
    assert len(await audit_events(services, "area.created")) == 3
    assert len(await audit_events(services, "area.renamed")) == 1


async def test_moving_an_area_moves_its_devices(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    berlin = await new_location(live, actor, "Berlin")
    munich = await new_location(live, actor, "Munich")
    lobby = await new_area(live, actor, berlin, "Lobby")
    camera = await register(live, actor, "CAM-0001", areaId=lobby)
    assert camera["location"]["id"] == berlin

    moved = await ok(live, actor, MOVE_AREA, {"input": {"id": lobby, "locationId": munich}})
    assert moved["area"]["location"]["id"] == munich
    device = (await data(live, actor, DEVICE, {"id": camera["id"]}))["device"]
    assert device["area"]["id"] == lobby
    assert device["location"]["id"] == munich
    assert (await data(live, actor, LOCATION, {"id": munich}))["location"]["deviceCounts"][
        "total"
    ] == 1
    assert (await data(live, actor, LOCATION, {"id": berlin}))["location"]["deviceCounts"][
        "total"
    ] == 0
    (event,) = await audit_events(services, "area.moved")
    assert event.details == {"fromLocationId": berlin, "toLocationId": munich, "devices": 1}

    # Into a location that already has an area of that name: refused.
    await new_area(live, actor, berlin, "lobby")
    errors = await user_errors(
        live, actor, MOVE_AREA, {"input": {"id": lobby, "locationId": berlin}}
    )
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "locationId"], "NAME_TAKEN")]
    # To where it already is: nothing to do.
    same = await ok(live, actor, MOVE_AREA, {"input": {"id": lobby, "locationId": munich}})
    assert same["area"]["location"]["id"] == munich


async def test_the_default_area_stays_put(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    default_location, default_area = await defaults(live, actor)
    elsewhere = await new_location(live, actor, "Elsewhere")
    errors = await user_errors(live, actor, DELETE_AREA, {"input": {"id": default_area}})
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "id"], "CANNOT_DELETE_DEFAULT")]
    errors = await user_errors(
        live, actor, MOVE_AREA, {"input": {"id": default_area, "locationId": elsewhere}}
    )
    assert codes(errors) == ["CANNOT_MOVE_DEFAULT_AREA"]
    # It can be renamed, and other areas of the default location can be deleted.
    await ok(live, actor, RENAME_AREA, {"input": {"id": default_area, "name": "Reception"}})
    spare = await new_area(live, actor, default_location, "Spare")
    await ok(live, actor, DELETE_AREA, {"input": {"id": spare}})
    assert (await data(live, actor, AREA, {"id": spare}))["area"] is None


async def test_an_area_or_location_holding_devices_cannot_be_deleted(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    _, default_area = await defaults(live, actor)
    berlin = await new_location(live, actor, "Berlin")
    lobby = await new_area(live, actor, berlin, "Lobby")
    await new_area(live, actor, berlin, "Roof")
    camera = await register(live, actor, "CAM-0002", areaId=lobby)

    errors = await user_errors(live, actor, DELETE_AREA, {"input": {"id": lobby}})
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "id"], "AREA_NOT_EMPTY")]
    errors = await user_errors(live, actor, DELETE_LOCATION, {"input": {"id": berlin}})
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "id"], "LOCATION_NOT_EMPTY")]
    assert (await data(live, actor, AREA, {"id": lobby}))["area"] is not None

    # Once the device has moved out, both can go.
    await ok(live, actor, MOVE, {"input": {"id": camera["id"], "areaId": default_area}})
    await ok(live, actor, DELETE_AREA, {"input": {"id": lobby}})
    recorder = await register(live, actor, "REC-0001", kind="RECORDER")
    await ok(live, actor, DELETE_LOCATION, {"input": {"id": berlin}})
    assert (await data(live, actor, LOCATION, {"id": berlin}))["location"] is None
    (deleted,) = await audit_events(services, "location.deleted")
    assert deleted.details == {"name": "Berlin", "areas": ["Roof"]}
    (area_deleted,) = await audit_events(services, "area.deleted")
    assert area_deleted.details["name"] == "Lobby"
    await ok(live, actor, REMOVE, {"input": {"id": recorder["id"]}})
