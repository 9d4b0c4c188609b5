"""Registering devices over HTTP: normalization, placement, validation, and one owner per serial
number and MAC address in the whole platform — also when two organizations race for one."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import Device
from domain.authz.principal import OrgAccess, Principal
from domain.context import RequestMeta
from domain.devices import registration as service
from domain.devices.registration import Registration
from domain.enums import DeviceKind, OrganizationType, Role
from domain.errors import UserErrors
from runtime import Services
from tests.audit.support import audit_events
from tests.devices.queries import DEVICE, REGISTER, REMOVE
from tests.devices.support import registration
from tests.factories import Actor, create_actor
from tests.locations.support import defaults, new_area, new_location
from tests.support.gql import codes, data, ok, user_errors
from tests.support.server import LiveServer


async def device_count(services: Services) -> int:
    async with services.db.read_session() as session:
        return int((await session.execute(select(func.count()).select_from(Device))).scalar_one())


async def test_register_into_the_default_area(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    default_location, default_area = await defaults(live, actor)
    payload = await ok(
        live,
        actor,
        REGISTER,
        registration("  sn-0042a ", "AABB.CCDD.EEF0", model="  XNV-8080R  ", kind="RECORDER"),
    )
    device = payload["device"]
    assert device["serialNumber"] == "SN-0042A"
    assert device["macAddress"] == "aa:bb:cc:dd:ee:f0"
    assert device["model"] == "XNV-8080R"
    assert device["kind"] == "RECORDER"
    assert device["status"] == "PENDING"
    assert device["name"] == "SN-0042A"  # unnamed devices go by their serial number
    assert device["area"]["id"] == default_area
    assert device["location"]["id"] == default_location
    fetched = (await data(live, actor, DEVICE, {"id": device["id"]}))["device"]
    assert fetched == device

    (event,) = await audit_events(services, "device.registered")
    assert event.actor_user_id == actor.user.id
    assert event.actor_email == actor.user.email
    assert event.organization_id == actor.organization.id
    assert (event.target_type, event.target_id) == ("device", device["id"])
    assert event.client_address == "127.0.0.1"
    assert event.details["serialNumber"] == "SN-0042A"
    assert event.details["macAddress"] == "aa:bb:cc:dd:ee:f0"


async def test_register_into_a_chosen_area(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    berlin = await new_location(live, actor, "Berlin")
    roof = await new_area(live, actor, berlin, "Roof")
    device = (
        await ok(
            live,
            actor,
            REGISTER,
            registration("ROOF-0001", "02:11:22:33:44:55", areaId=roof, name=" Roof  east "),
        )
    )["device"]
    assert device["area"] == {"id": roof, "name": "Roof"}
    assert device["location"] == {"id": berlin, "name": "Berlin"}
    assert device["name"] == "Roof east"
    # Naming the organization too is fine when it is the area's.
    await ok(
        live,
        actor,
        REGISTER,
        registration(
            "ROOF-0002",
            "02:11:22:33:44:56",
            areaId=roof,
            organizationId=str(actor.organization.id),
        ),
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"serialNumber": "ab"}, [("serialNumber", "INVALID_SERIAL_NUMBER")]),
        ({"serialNumber": "AB CD EF"}, [("serialNumber", "INVALID_SERIAL_NUMBER")]),
        ({"macAddress": "ff:ff:ff:ff:ff:ff"}, [("macAddress", "INVALID_MAC_ADDRESS")]),
        ({"macAddress": "01:00:5e:00:00:01"}, [("macAddress", "INVALID_MAC_ADDRESS")]),
        ({"macAddress": "000000000000"}, [("macAddress", "INVALID_MAC_ADDRESS")]),
        ({"macAddress": "aa:bb-cc:dd:ee:f0"}, [("macAddress", "INVALID_MAC_ADDRESS")]),
        ({"model": "  "}, [("model", "REQUIRED")]),
        ({"name": "x" * 101}, [("name", "TOO_LONG")]),
        (
            {"serialNumber": "?", "macAddress": "nope", "model": "", "name": "\x1b[31m"},
            [
                ("serialNumber", "INVALID_SERIAL_NUMBER"),
                ("macAddress", "INVALID_MAC_ADDRESS"),
                ("model", "REQUIRED"),
                ("name", "INVALID_CHARACTERS"),
            ],
        ),
    ],
)
async def test_bad_input_is_refused_field_by_field(
    live: LiveServer,
    services: Services,
    values: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    variables = registration("GOOD-0001", "02:00:00:00:00:01")
    variables["input"].update(values)
    errors = await user_errors(live, actor, REGISTER, variables)
    assert sorted((e["field"][1], e["code"]) for e in errors) == sorted(expected)
    assert all(e["field"][0] == "input" and e["message"] for e in errors)
    assert await device_count(services) == 0


async def test_an_unknown_kind_is_a_graphql_error(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    variables = registration("GOOD-0001", "02:00:00:00:00:01", kind="TOASTER")
    body = await live.graphql(REGISTER, variables, headers=actor.headers)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await device_count(services) == 0


async def test_a_serial_number_belongs_to_one_organization(
    live: LiveServer, services: Services
) -> None:
    holder = await create_actor(services, role=Role.ADMIN)
    await ok(live, holder, REGISTER, registration("SN-TAKEN-1", "02:aa:00:00:00:01"))
    other = await create_actor(services, role=Role.ADMIN)

    # Another organization: refused, whatever the spelling, and the message names nobody.
    from_elsewhere = await user_errors(
        live, other, REGISTER, registration(" sn-taken-1", "02:bb:00:00:00:01")
    )
    assert [(e["field"], e["code"]) for e in from_elsewhere] == [
        (["input", "serialNumber"], "SERIAL_NUMBER_TAKEN")
    ]
    message = from_elsewhere[0]["message"]
    for secret in (
        holder.organization.name,
        str(holder.organization.id),
        holder.user.email,
        "organization",
    ):
        assert secret.lower() not in message.lower()
    # The holder itself gets exactly the same answer: the reply cannot tell the two apart.
    from_holder = await user_errors(
        live, holder, REGISTER, registration("SN-TAKEN-1", "02:cc:00:00:00:01")
    )
    assert from_holder == from_elsewhere

    # The same for the MAC address, in any spelling; both at once give both errors.
    mac_taken = await user_errors(
        live, other, REGISTER, registration("SN-FREE-1", "02-AA-00-00-00-01")
    )
    assert [(e["field"], e["code"]) for e in mac_taken] == [
        (["input", "macAddress"], "MAC_ADDRESS_TAKEN")
    ]
    both = await user_errors(live, other, REGISTER, registration("SN-TAKEN-1", "02aa00000001"))
    assert sorted(e["code"] for e in both) == ["MAC_ADDRESS_TAKEN", "SERIAL_NUMBER_TAKEN"]
    assert await device_count(services) == 1


async def test_a_removed_device_can_be_registered_again_elsewhere(
    live: LiveServer, services: Services
) -> None:
    seller = await create_actor(services, role=Role.ADMIN)
    buyer = await create_actor(services, role=Role.ADMIN)
    sold = (await ok(live, seller, REGISTER, registration("SOLD-0001", "02:00:00:00:0a:01")))[
        "device"
    ]
    await user_errors(live, buyer, REGISTER, registration("SOLD-0001", "02:00:00:00:0a:01"))
    await ok(live, seller, REMOVE, {"input": {"id": sold["id"]}})
    again = await ok(live, buyer, REGISTER, registration("SOLD-0001", "02:00:00:00:0a:01"))
    assert again["device"]["id"] != sold["id"]
    assert (await data(live, seller, DEVICE, {"id": again["device"]["id"]}))["device"] is None


async def test_concurrent_registrations_of_one_serial_end_with_one_owner(
    live: LiveServer, services: Services
) -> None:
    actors = [await create_actor(services, role=Role.ADMIN) for _ in range(4)]
    for round_ in range(3):
        serial = f"RACE-{round_:04d}"
        bodies = await asyncio.gather(
            *(
                live.graphql(
                    REGISTER,
                    registration(serial, f"02:00:00:00:{round_:02x}:{n:02x}"),
                    headers=actor.headers,
                )
                for n, actor in enumerate(actors)
            )
        )
        payloads = [b["data"]["registerDevice"] for b in bodies]
        winners = [p for p in payloads if p["device"] is not None]
        assert len(winners) == 1, payloads
        for loser in (p for p in payloads if p["device"] is None):
            assert codes(loser) == ["SERIAL_NUMBER_TAKEN"]
    assert await device_count(services) == 3


def principal_of(actor: Actor) -> Principal:
    org = actor.organization
    return Principal(
        user_id=actor.user.id,
        email=actor.user.email,
        access={org.id: OrgAccess(org.id, OrganizationType.CUSTOMER, actor.role)},
        working_organization_id=org.id,
    )


async def test_the_loser_of_a_race_past_the_check_gets_serial_number_taken(
    services: Services,
) -> None:
    """The unique index decides when both transactions passed the check before either inserted:
    the first holds its uncommitted row while the second registers; the second waits on the
    index (PostgreSQL) or on the write lock (SQLite), then gets SERIAL_NUMBER_TAKEN."""
    first = await create_actor(services, role=Role.ADMIN)
    second = await create_actor(services, role=Role.ADMIN)
    meta = RequestMeta(client_address="127.0.0.1")
    outcome: dict[str, Any] = {}

    async with services.db.unit_of_work() as session:
        await service.register_device(
            session,
            principal_of(first),
            meta,
            Registration(DeviceKind.CAMERA, "RACE-PAST-1", "02:00:00:00:ff:01", "M1"),
            organization_id=first.organization.id,
            area_id=None,
        )

        async def rival() -> None:
            try:
                async with services.db.unit_of_work() as other:
                    await service.register_device(
                        other,
                        principal_of(second),
                        meta,
                        Registration(DeviceKind.CAMERA, "race-past-1", "02:00:00:00:ff:02", "M1"),
                        organization_id=second.organization.id,
                        area_id=None,
                    )
            except UserErrors as exc:
                outcome["codes"] = exc.codes

        task = asyncio.create_task(rival())
        await asyncio.sleep(0.3)  # the rival is now blocked behind our transaction
        assert not task.done()
    await asyncio.wait_for(task, 30)
    assert outcome["codes"] == ["SERIAL_NUMBER_TAKEN"]
    assert await device_count(services) == 1


async def test_registering_into_another_tenants_area_is_not_found(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.ADMIN)
    stranger = await create_actor(services, role=Role.ADMIN)
    _, area = await defaults(live, owner)
    answers = []
    for area_id in (area, str(uuid.uuid4()), "garbage"):
        answers.append(
            await user_errors(
                live,
                stranger,
                REGISTER,
                registration("X-0001", "02:00:00:00:00:09", areaId=area_id),
            )
        )
    assert answers[0] == answers[1] == answers[2]
    assert [(e["field"], e["code"]) for e in answers[0]] == [(["input", "areaId"], "NOT_FOUND")]
    # An area of one's own organization named together with another organization: not found.
    _, own_area = await defaults(live, stranger)
    mismatch = await user_errors(
        live,
        stranger,
        REGISTER,
        registration(
            "X-0001",
            "02:00:00:00:00:09",
            areaId=own_area,
            organizationId=str(owner.organization.id),
        ),
    )
    assert codes(mismatch) == ["NOT_FOUND"]
    assert await device_count(services) == 0
