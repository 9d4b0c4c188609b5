"""Locations over HTTP: the default one, create/update/delete, validation, unique names."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import Location
from domain.enums import Role
from runtime import Services
from tests.audit.support import audit_events
from tests.factories import Actor, create_actor
from tests.locations.queries import (
    CREATE_LOCATION,
    DELETE_LOCATION,
    LOCATION,
    LOCATIONS,
    UPDATE_LOCATION,
)
from tests.support.gql import codes, data, ok, user_errors
from tests.support.server import LiveServer


async def _location_count(services: Services, actor: Actor) -> int:
    async with services.db.read_session() as session:
        return int(
            (
                await session.execute(
                    select(func.count()).where(Location.organization_id == actor.organization.id)
                )
            ).scalar_one()
        )


async def test_every_organization_starts_with_a_default_location_and_area(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.USER)  # a German customer (the factory's)
    result = await data(live, actor, LOCATIONS, {})
    locations = result["locations"]
    assert locations["totalCount"] == 1
    (edge,) = locations["edges"]
    assert edge["node"]["isDefault"] is True
    assert edge["node"]["timeZone"] == "Europe/Berlin"
    areas = edge["node"]["areas"]
    assert areas["totalCount"] == 1
    assert areas["edges"][0]["node"]["isDefault"] is True


@pytest.mark.parametrize("role", [Role.SUPER_ADMIN, Role.ADMIN])
async def test_create_update_and_delete_a_location(
    live: LiveServer, services: Services, role: Role
) -> None:
    actor = await create_actor(services, role=role)
    created = await ok(
        live,
        actor,
        CREATE_LOCATION,
        {
            "input": {
                "name": "  Hamburg   Port ",
                "timeZone": "europe/BERLIN",
                "address": " Am Sandtorkai 1 \r\n 20457 Hamburg ",
            }
        },
    )
    location = created["location"]
    assert location["name"] == "Hamburg Port"
    assert location["timeZone"] == "Europe/Berlin"  # canonical IANA spelling
    assert location["address"] == "Am Sandtorkai 1\n20457 Hamburg"
    assert location["isDefault"] is False

    # Only what is sent changes; null clears the address.
    renamed = await ok(
        live, actor, UPDATE_LOCATION, {"input": {"id": location["id"], "name": "Hamburg"}}
    )
    assert renamed["location"]["name"] == "Hamburg"
    assert renamed["location"]["address"] == "Am Sandtorkai 1\n20457 Hamburg"
    moved = await ok(
        live,
        actor,
        UPDATE_LOCATION,
        {"input": {"id": location["id"], "timeZone": "America/New_York", "address": None}},
    )
    assert moved["location"]["timeZone"] == "America/New_York"
    assert moved["location"]["address"] is None
    assert moved["location"]["name"] == "Hamburg"

    fetched = await data(live, actor, LOCATION, {"id": location["id"]})
    assert fetched["location"]["name"] == "Hamburg"
    assert fetched["location"]["areas"]["edges"] == []

    deleted = await ok(live, actor, DELETE_LOCATION, {"input": {"id": location["id"]}})
    assert deleted["deletedLocationId"] == location["id"]
    assert (await data(live, actor, LOCATION, {"id": location["id"]}))["location"] is None
    assert await _location_count(services, actor) == 1
    # Deleting it again: it is gone.
    again = await user_errors(live, actor, DELETE_LOCATION, {"input": {"id": location["id"]}})
    assert codes(again) == ["NOT_FOUND"]

    created_events = await audit_events(services, "location.created")
    updated_events = await audit_events(services, "location.updated")
    deleted_events = await audit_events(services, "location.deleted")
    assert [e.target_id for e in created_events] == [location["id"]]
    assert len(updated_events) == 2
    (event,) = deleted_events
    assert event.actor_user_id == actor.user.id
    assert event.organization_id == actor.organization.id
    assert event.target_type == "location"
    assert event.target_id == location["id"]
    assert event.client_address == "127.0.0.1"
    assert event.details["name"] == "Hamburg"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"name": "", "timeZone": "Europe/Berlin"}, [(["input", "name"], "REQUIRED")]),
        ({"name": "   ", "timeZone": "Europe/Berlin"}, [(["input", "name"], "REQUIRED")]),
        ({"name": "x" * 101, "timeZone": "Europe/Berlin"}, [(["input", "name"], "TOO_LONG")]),
        (
            {"name": "Evil\u202egnp.exe", "timeZone": "Europe/Berlin"},
            [(["input", "name"], "INVALID_CHARACTERS")],
        ),
        ({"name": "Tab\there", "timeZone": "UTC"}, []),  # whitespace is collapsed, not refused
        ({"name": "Bell\x07", "timeZone": "UTC"}, [(["input", "name"], "INVALID_CHARACTERS")]),
        (
            {"name": "Mars", "timeZone": "Mars/Olympus"},
            [(["input", "timeZone"], "INVALID_TIME_ZONE")],
        ),
        ({"name": "Here", "timeZone": "localtime"}, [(["input", "timeZone"], "INVALID_TIME_ZONE")]),
        ({"name": "Here", "timeZone": "x" * 5000}, [(["input", "timeZone"], "INVALID_TIME_ZONE")]),
        (
            {"name": "", "timeZone": "Nowhere", "address": "a" * 501},
            [
                (["input", "name"], "REQUIRED"),
                (["input", "timeZone"], "INVALID_TIME_ZONE"),
                (["input", "address"], "TOO_LONG"),
            ],
        ),
    ],
)
async def test_location_input_is_validated_all_at_once(
    live: LiveServer,
    services: Services,
    values: dict[str, Any],
    expected: list[tuple[list[str], str]],
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    body = await data(live, actor, CREATE_LOCATION, {"input": values})
    payload = body["createLocation"]
    got = sorted((e["field"], e["code"]) for e in payload["userErrors"])
    assert got == sorted(expected)
    assert all(e["message"] for e in payload["userErrors"])
    if expected:
        assert payload["location"] is None
        assert await _location_count(services, actor) == 1  # nothing was created
    else:
        assert payload["location"]["name"] == "Tab here"


async def test_update_validates_too(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    (default,) = (await data(live, actor, LOCATIONS, {}))["locations"]["edges"]
    errors = await user_errors(
        live,
        actor,
        UPDATE_LOCATION,
        {"input": {"id": default["node"]["id"], "name": " ", "timeZone": "Europe/Atlantis"}},
    )
    assert sorted(e["code"] for e in errors) == ["INVALID_TIME_ZONE", "REQUIRED"]
    # The default location can be renamed and moved to another time zone.
    updated = await ok(
        live,
        actor,
        UPDATE_LOCATION,
        {"input": {"id": default["node"]["id"], "name": "HQ", "timeZone": "Asia/Tokyo"}},
    )
    assert updated["location"]["isDefault"] is True
    assert updated["location"]["timeZone"] == "Asia/Tokyo"


async def test_location_names_are_unique_in_an_organization_whatever_the_case(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    first = await ok(
        live, actor, CREATE_LOCATION, {"input": {"name": "Straße 5", "timeZone": "UTC"}}
    )
    full_width = "\uff33\uff54\uff52\uff41\uff53\uff53\uff45 5"
    for taken in ("STRASSE 5", " straße   5 ", full_width):
        errors = await user_errors(
            live, actor, CREATE_LOCATION, {"input": {"name": taken, "timeZone": "UTC"}}
        )
        assert [(e["field"], e["code"]) for e in errors] == [(["input", "name"], "NAME_TAKEN")]
    # Renaming onto another location's name is refused; changing one's own case is not.
    (default,) = [
        e["node"]
        for e in (await data(live, actor, LOCATIONS, {}))["locations"]["edges"]
        if e["node"]["isDefault"]
    ]
    errors = await user_errors(
        live, actor, UPDATE_LOCATION, {"input": {"id": default["id"], "name": "strasse 5"}}
    )
    assert codes(errors) == ["NAME_TAKEN"]
    recased = await ok(
        live,
        actor,
        UPDATE_LOCATION,
        {"input": {"id": first["location"]["id"], "name": "STRASSE 5"}},
    )
    assert recased["location"]["name"] == "STRASSE 5"
    # Another organization may use the same name.
    other = await create_actor(services, role=Role.ADMIN)
    await ok(live, other, CREATE_LOCATION, {"input": {"name": "Strasse 5", "timeZone": "UTC"}})


async def test_concurrent_creations_of_one_name_end_with_one_location(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    names = ["Depot", "DEPOT", "depot", "Depot "]
    bodies = await asyncio.gather(
        *(
            live.graphql(
                CREATE_LOCATION,
                {"input": {"name": name, "timeZone": "UTC"}},
                headers=actor.headers,
            )
            for name in names
        )
    )
    payloads = [b["data"]["createLocation"] for b in bodies]
    assert sum(1 for p in payloads if p["location"] is not None) == 1
    refused = [p for p in payloads if p["location"] is None]
    assert [codes(p) for p in refused] == [["NAME_TAKEN"]] * 3
    assert await _location_count(services, actor) == 2


async def test_the_default_location_cannot_be_deleted(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    (default,) = (await data(live, actor, LOCATIONS, {}))["locations"]["edges"]
    errors = await user_errors(
        live, actor, DELETE_LOCATION, {"input": {"id": default["node"]["id"]}}
    )
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "id"], "CANNOT_DELETE_DEFAULT")]
    assert await _location_count(services, actor) == 1
