"""Renaming, moving and removing devices; who may, and what strangers see."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.enums import Role
from runtime import Services
from tests.audit.support import audit_events
from tests.devices.queries import DEVICE, DEVICE_COUNTS, DEVICES, MOVE, REGISTER, REMOVE, RENAME
from tests.devices.support import register
from tests.factories import Actor, create_actor
from tests.locations.queries import LOCATION
from tests.locations.support import defaults, new_area, new_location
from tests.support.access import (
    Op,
    assert_allowed,
    assert_forbidden,
    assert_looks_missing,
    not_found_payload,
)
from tests.support.gql import data, error_code, ok, user_errors
from tests.support.roles import Cast, create_cast
from tests.support.server import LiveServer


async def test_rename_move_and_remove(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    default_location, default_area = await defaults(live, actor)
    berlin = await new_location(live, actor, "Berlin")
    lobby = await new_area(live, actor, berlin, "Lobby")
    camera = await register(live, actor, "CAM-0100")

    renamed = await ok(live, actor, RENAME, {"input": {"id": camera["id"], "name": " Gate  1 "}})
    assert renamed["device"]["name"] == "Gate 1"
    # Renaming makes the new name searchable and the old one not.
    found = await data(live, actor, DEVICES, {"search": "gate 1"})
    assert [e["node"]["id"] for e in found["devices"]["edges"]] == [camera["id"]]
    errors = await user_errors(live, actor, RENAME, {"input": {"id": camera["id"], "name": ""}})
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "name"], "REQUIRED")]

    moved = await ok(live, actor, MOVE, {"input": {"id": camera["id"], "areaId": lobby}})
    assert moved["device"]["area"]["id"] == lobby
    assert moved["device"]["location"]["id"] == berlin
    counts = (await data(live, actor, LOCATION, {"id": berlin}))["location"]["deviceCounts"]
    assert counts == {"total": 1, "pending": 1, "online": 0, "offline": 0}
    # Moving to where it is changes nothing and records nothing.
    await ok(live, actor, MOVE, {"input": {"id": camera["id"], "areaId": lobby}})

    removed = await ok(live, actor, REMOVE, {"input": {"id": camera["id"]}})
    assert removed["removedDeviceId"] == camera["id"]
    assert (await data(live, actor, DEVICE, {"id": camera["id"]}))["device"] is None
    gone = await user_errors(live, actor, REMOVE, {"input": {"id": camera["id"]}})
    assert [(e["field"], e["code"]) for e in gone] == [(["input", "id"], "NOT_FOUND")]
    assert (await data(live, actor, DEVICE_COUNTS, {}))["deviceCounts"]["total"] == 0

    (renamed_event,) = await audit_events(services, "device.renamed")
    assert renamed_event.details == {"from": "CAM-0100", "to": "Gate 1"}
    (moved_event,) = await audit_events(services, "device.moved")
    assert moved_event.details == {
        "from": {"areaId": default_area, "locationId": default_location},
        "to": {"areaId": lobby, "locationId": berlin},
    }
    (removed_event,) = await audit_events(services, "device.removed")
    assert removed_event.target_id == camera["id"]
    assert removed_event.organization_id == actor.organization.id
    assert removed_event.details["serialNumber"] == "CAM-0100"
    assert removed_event.details["name"] == "Gate 1"


@dataclass
class World:
    cast: Cast
    organization: str
    area: str
    other_area: str
    device: str
    spare_device: str

    @property
    def ids(self) -> list[str]:
        return [self.organization, self.area, self.other_area, self.device, self.spare_device]

    def writes(self) -> list[Op]:
        return [
            Op(
                "registerDevice",
                REGISTER,
                {
                    "input": {
                        "organizationId": self.organization,
                        "kind": "CAMERA",
                        "serialNumber": "NEW-0001",
                        "macAddress": "02:00:00:00:99:01",
                        "model": "M",
                    }
                },
            ),
            Op(
                "registerDevice",
                REGISTER,
                {
                    "input": {
                        "areaId": self.other_area,
                        "kind": "RECORDER",
                        "serialNumber": "NEW-0002",
                        "macAddress": "02:00:00:00:99:02",
                        "model": "M",
                    }
                },
            ),
            Op("renameDevice", RENAME, {"input": {"id": self.device, "name": "Renamed"}}),
            Op("moveDevice", MOVE, {"input": {"id": self.device, "areaId": self.other_area}}),
            Op("removeDevice", REMOVE, {"input": {"id": self.spare_device}}),
        ]

    def reads(self) -> list[Op]:
        return [
            Op("devices", DEVICES, {"org": self.organization}),
            Op("deviceCounts", DEVICE_COUNTS, {"org": self.organization}),
            Op("device", DEVICE, {"id": self.device}),
        ]


async def build_world(live: LiveServer, services: Services) -> World:
    cast = await create_cast(services)
    owner = cast.super_admin
    _, area = await defaults(live, owner)
    location = await new_location(live, owner, "Berlin")
    return World(
        cast=cast,
        organization=str(cast.organization.id),
        area=area,
        other_area=await new_area(live, owner, location, "Lobby"),
        device=(await register(live, owner, "OWN-0001"))["id"],
        spare_device=(await register(live, owner, "OWN-0002"))["id"],
    )


@pytest.mark.parametrize("role", ["super_admin", "admin", "technician"])
async def test_managers_register_and_configure_devices(
    live: LiveServer, services: Services, role: str
) -> None:
    world = await build_world(live, services)
    actor: Actor = getattr(world.cast, role)
    for op in world.reads():
        assert await assert_allowed(live, actor, op) is not None
    for op in world.writes():
        await assert_allowed(live, actor, op)
    device = (await data(live, actor, DEVICE, {"id": world.device}))["device"]
    assert (device["name"], device["area"]["id"]) == ("Renamed", world.other_area)
    events = await audit_events(services, "device.registered")
    assert events[-1].actor_user_id == actor.user.id
    assert events[-1].organization_id == world.cast.organization.id


@pytest.mark.parametrize("role", ["user", "internal_admin"])
async def test_readers_may_read_but_not_change_devices(
    live: LiveServer, services: Services, role: str
) -> None:
    world = await build_world(live, services)
    actor: Actor = getattr(world.cast, role)
    listed = await assert_allowed(live, actor, world.reads()[0])
    assert {e["node"]["id"] for e in listed["edges"]} == {world.device, world.spare_device}
    counts = await assert_allowed(live, actor, world.reads()[1])
    assert counts["total"] == 2
    assert (await assert_allowed(live, actor, world.reads()[2]))["id"] == world.device
    for op in world.writes():
        await assert_forbidden(live, actor, op)
    owner = world.cast.super_admin
    assert (await data(live, owner, DEVICE_COUNTS, {}))["deviceCounts"]["total"] == 2
    device = (await data(live, owner, DEVICE, {"id": world.device}))["device"]
    assert (device["name"], device["area"]["id"]) == ("OWN-0001", world.area)


async def test_a_stranger_finds_no_device(live: LiveServer, services: Services) -> None:
    world = await build_world(live, services)
    stranger = world.cast.stranger
    for op in world.writes():
        body = await assert_looks_missing(live, stranger, op, world.ids)
        not_found_payload(body, op.name)
    for op in world.reads()[:2]:
        body = await assert_looks_missing(live, stranger, op, world.ids)
        assert error_code(body) == "NOT_FOUND"
    body = await assert_looks_missing(live, stranger, world.reads()[2], world.ids)
    assert body == {"data": {"device": None}}

    # Its own device cannot be moved into the other tenant's area, and filtering its own list by
    # the other tenant's area or location shows nothing.
    own = await register(live, stranger, "STR-0001")
    moved = await assert_looks_missing(
        live,
        stranger,
        Op("moveDevice", MOVE, {"input": {"id": own["id"], "areaId": world.other_area}}),
        [world.other_area],
    )
    assert [e["field"] for e in not_found_payload(moved, "moveDevice")] == [["input", "areaId"]]
    filtered = await assert_looks_missing(
        live,
        stranger,
        Op("devices", DEVICES, {"filter": {"areaId": world.area}}),
        [world.area],
    )
    assert filtered["data"]["devices"]["edges"] == []
    assert filtered["data"]["devices"]["totalCount"] == 0
    # The owner's devices are untouched.
    owner = world.cast.super_admin
    assert (await data(live, owner, DEVICE_COUNTS, {}))["deviceCounts"]["total"] == 2
    mine = await data(live, stranger, DEVICES, {})
    assert [e["node"]["id"] for e in mine["devices"]["edges"]] == [own["id"]]


async def test_a_technician_loses_access_when_the_assignment_ends(
    live: LiveServer, services: Services
) -> None:
    from sqlalchemy import delete

    from db.models import TechnicianAssignment

    world = await build_world(live, services)
    technician = world.cast.technician
    await assert_allowed(live, technician, world.writes()[2])
    async with services.db.unit_of_work() as session:
        await session.execute(
            delete(TechnicianAssignment).where(TechnicianAssignment.user_id == technician.user.id)
        )
    # The very next request: its token still verifies, but the organization is out of reach.
    body = await live.graphql(DEVICE, {"id": world.device}, token=technician.token)
    assert body["data"] == {"device": None}
