"""Attaching licenses to devices and detaching them: seats, one license per product per device,
the term that starts at the first attachment and never restarts, expiry, tenants and races."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import Device, License, LicenseAttachment
from domain.enums import Role
from kit.clock import utcnow
from runtime import Services
from tests.audit.support import audit_events
from tests.factories import Actor, attach_device, create_actor, create_device, create_license
from tests.licenses.support import ATTACH, DETACH, LICENSE
from tests.support.gql import call, codes, error_code, mutate
from tests.support.server import LiveServer


async def setup(
    services: Services, *, devices: int = 1, role: Role = Role.SUPER_ADMIN, **license: Any
) -> tuple[Actor, License, list[Device]]:
    actor = await create_actor(services, role=role)
    async with services.db.unit_of_work() as session:
        lic, _ = await create_license(session, organization=actor.organization, **license)
        made = [await create_device(session, actor.organization) for _ in range(devices)]
    return actor, lic, made


def ids(lic: License, device: Device) -> dict[str, str]:
    return {"licenseId": str(lic.id), "deviceId": str(device.id)}


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_the_term_starts_at_the_first_attachment_and_never_restarts(
    live: LiveServer, services: Services
) -> None:
    actor, lic, (first, second) = await setup(services, devices=2, seats=2, term_days=365)

    before = utcnow()
    attached = await mutate(live, actor, ATTACH, **ids(lic, first))
    assert attached["userErrors"] == []
    state = attached["license"]
    activated = parse(state["activatedAt"])
    assert before <= activated <= utcnow()
    assert parse(state["expiresAt"]) == activated + timedelta(days=365)
    assert (state["status"], state["seatsUsed"], state["seatsAvailable"]) == ("IN_USE", 1, 1)

    detached = (await mutate(live, actor, DETACH, **ids(lic, first)))["license"]
    assert (detached["status"], detached["seatsUsed"]) == ("AVAILABLE", 0)
    assert detached["activatedAt"] == state["activatedAt"]

    await asyncio.sleep(0.01)
    for device in (first, second):
        again = (await mutate(live, actor, ATTACH, **ids(lic, device)))["license"]
        assert again["activatedAt"] == state["activatedAt"]
        assert again["expiresAt"] == state["expiresAt"]
    assert again["seatsUsed"] == 2 and again["seatsAvailable"] == 0

    events = await audit_events(services, "license.attached")
    assert [e.details["term_started"] for e in events] == [True, False, False]
    assert [e.details["device_id"] for e in events] == [
        str(first.id),
        str(first.id),
        str(second.id),
    ]
    assert all(e.organization_id == actor.organization.id for e in events)
    assert all(e.target_id == str(lic.id) and e.actor_user_id == actor.user.id for e in events)
    [detach_event] = await audit_events(services, "license.detached")
    assert detach_event.details["device_id"] == str(first.id)
    # Detaching keeps history: three attachments, one of them ended.
    async with services.db.read_session() as session:
        rows = (await session.scalars(select(LicenseAttachment))).all()
    assert sorted(r.detached_at is None for r in rows) == [False, True, True]


async def test_seats_bound_the_devices_attached_at_once(
    live: LiveServer, services: Services
) -> None:
    actor, lic, (a, b, c) = await setup(services, devices=3, seats=2)
    assert (await mutate(live, actor, ATTACH, **ids(lic, a)))["userErrors"] == []
    assert (await mutate(live, actor, ATTACH, **ids(lic, b)))["userErrors"] == []
    full = await mutate(live, actor, ATTACH, **ids(lic, c))
    assert codes(full) == ["NO_SEATS_AVAILABLE"] and full["license"] is None
    assert full["userErrors"][0]["field"] == ["input", "licenseId"]
    # Freeing a seat makes room.
    assert (await mutate(live, actor, DETACH, **ids(lic, a)))["userErrors"] == []
    assert (await mutate(live, actor, ATTACH, **ids(lic, c)))["license"]["seatsUsed"] == 2


async def test_attaching_a_license_where_it_already_is_changes_nothing(
    live: LiveServer, services: Services
) -> None:
    actor, lic, (device,) = await setup(services)
    one = await mutate(live, actor, ATTACH, **ids(lic, device))
    two = await mutate(live, actor, ATTACH, **ids(lic, device))
    assert one["userErrors"] == two["userErrors"] == []
    assert two["license"]["seatsUsed"] == 1
    assert len(await audit_events(services, "license.attached")) == 1


async def test_a_device_holds_one_license_per_product(live: LiveServer, services: Services) -> None:
    actor, health, (device,) = await setup(services, product_key="HEALTHPRO", seats=5)
    async with services.db.unit_of_work() as session:
        other_health, _ = await create_license(
            session, product_key="HEALTHPRO", organization=actor.organization
        )
        sight, _ = await create_license(
            session, product_key="SIGHTMIND", organization=actor.organization
        )
    assert (await mutate(live, actor, ATTACH, **ids(health, device)))["userErrors"] == []
    refused = await mutate(live, actor, ATTACH, **ids(other_health, device))
    assert codes(refused) == ["ALREADY_LICENSED"]
    assert refused["userErrors"][0]["field"] == ["input", "deviceId"]
    # Another product is another matter; and after a detach the other license fits.
    assert (await mutate(live, actor, ATTACH, **ids(sight, device)))["userErrors"] == []
    assert (await mutate(live, actor, DETACH, **ids(health, device)))["userErrors"] == []
    assert (await mutate(live, actor, ATTACH, **ids(other_health, device)))["userErrors"] == []


async def test_an_expired_license_cannot_be_attached_but_can_be_detached(
    live: LiveServer, services: Services
) -> None:
    actor, lic, (held, fresh) = await setup(
        services, devices=2, seats=5, term_days=30, activated_at=utcnow() - timedelta(days=31)
    )
    async with services.db.unit_of_work() as session:
        await attach_device(session, lic, held)
    refused = await mutate(live, actor, ATTACH, **ids(lic, fresh))
    assert codes(refused) == ["LICENSE_EXPIRED"]
    detached = await mutate(live, actor, DETACH, **ids(lic, held))
    assert detached["userErrors"] == []
    assert (detached["license"]["status"], detached["license"]["seatsUsed"]) == ("EXPIRED", 0)


async def test_detaching_what_is_not_attached_is_a_user_error(
    live: LiveServer, services: Services
) -> None:
    actor, lic, (device,) = await setup(services)
    payload = await mutate(live, actor, DETACH, **ids(lic, device))
    assert codes(payload) == ["NOT_ATTACHED"]
    assert await audit_events(services, "license.detached") == []


@pytest.mark.parametrize("role", [Role.SUPER_ADMIN, Role.ADMIN])
async def test_admins_attach_and_users_only_read(
    live: LiveServer, services: Services, role: Role
) -> None:
    actor, lic, (device,) = await setup(services, role=role)
    assert (await mutate(live, actor, ATTACH, **ids(lic, device)))["userErrors"] == []
    user = await create_actor(services, role=Role.USER, organization=actor.organization)
    for document in (ATTACH, DETACH):
        body = await call(live, user, document, {"input": ids(lic, device)})
        assert error_code(body) == "FORBIDDEN"
    seen = await call(live, user, LICENSE, {"id": str(lic.id)})
    assert seen["data"]["license"]["seatsUsed"] == 1


async def test_internal_admins_read_any_license_but_do_not_attach(
    live: LiveServer, services: Services
) -> None:
    _actor, lic, (device,) = await setup(services)
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    body = await call(live, admin, LICENSE, {"id": str(lic.id)})
    assert body["data"]["license"]["id"] == str(lic.id)
    body = await call(live, admin, ATTACH, {"input": ids(lic, device)})
    assert error_code(body) == "FORBIDDEN"


async def test_another_tenants_licenses_and_devices_look_missing(
    live: LiveServer, services: Services
) -> None:
    owner, lic, (device,) = await setup(services)
    stranger, own_license, (own_device,) = await setup(services)
    async with services.db.unit_of_work() as session:
        unredeemed, _ = await create_license(session)
    missing = "0190f0f0-0000-7000-8000-000000000000"

    def attempt(license_id: str, device_id: str) -> Any:
        return mutate(live, stranger, ATTACH, licenseId=license_id, deviceId=device_id)

    # Their license with my device; an unredeemed license; a missing or malformed id: the same.
    answers = [
        await attempt(str(lic.id), str(own_device.id)),
        await attempt(str(unredeemed.id), str(own_device.id)),
        await attempt(missing, str(own_device.id)),
        await attempt("not-an-id", str(own_device.id)),
    ]
    assert all(a["userErrors"] == answers[0]["userErrors"] for a in answers)
    assert answers[0]["userErrors"] == [
        {
            "field": ["input", "licenseId"],
            "message": "The license does not exist.",
            "code": "NOT_FOUND",
        }
    ]
    # My license with their device, or with no device at all: the same.
    theirs = await attempt(str(own_license.id), str(device.id))
    nothing = await attempt(str(own_license.id), missing)
    assert theirs["userErrors"] == nothing["userErrors"]
    assert codes(theirs) == ["NOT_FOUND"] and theirs["userErrors"][0]["field"] == [
        "input",
        "deviceId",
    ]
    detach = await mutate(live, stranger, DETACH, licenseId=str(lic.id), deviceId=str(device.id))
    assert detach["userErrors"] == answers[0]["userErrors"]
    # Reading: their license is null, like a missing one.
    assert (await call(live, stranger, LICENSE, {"id": str(lic.id)}))["data"] == {"license": None}
    assert (await call(live, stranger, LICENSE, {"id": missing}))["data"] == {"license": None}
    assert (await call(live, stranger, LICENSE, {"id": "x"}))["data"] == {"license": None}
    async with services.db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(LicenseAttachment)) == 0
    assert owner.organization.id != stranger.organization.id


async def test_devices_racing_for_the_last_seat_end_one_way(
    live: LiveServer, services: Services
) -> None:
    actor, lic, devices = await setup(services, devices=6, seats=1)
    payloads = await asyncio.gather(
        *(mutate(live, actor, ATTACH, **ids(lic, device)) for device in devices)
    )
    assert sum(1 for p in payloads if not p["userErrors"]) == 1
    assert sorted(codes(p) for p in payloads if p["userErrors"]) == [["NO_SEATS_AVAILABLE"]] * 5
    async with services.db.read_session() as session:
        current = await session.scalar(
            select(func.count())
            .select_from(LicenseAttachment)
            .where(LicenseAttachment.detached_at.is_(None))
        )
        row = await session.get(License, lic.id)
    assert current == 1
    assert row is not None and row.activated_at is not None
    assert len(await audit_events(services, "license.attached")) == 1


async def test_licenses_of_one_product_racing_for_one_device_end_one_way(
    live: LiveServer, services: Services
) -> None:
    actor, first, (device,) = await setup(services, product_key="SIGHTMIND")
    async with services.db.unit_of_work() as session:
        others = [
            (
                await create_license(
                    session, product_key="SIGHTMIND", organization=actor.organization
                )
            )[0]
            for _ in range(4)
        ]
    payloads = await asyncio.gather(
        *(mutate(live, actor, ATTACH, **ids(lic, device)) for lic in [first, *others])
    )
    assert sum(1 for p in payloads if not p["userErrors"]) == 1
    assert sorted(codes(p) for p in payloads if p["userErrors"]) == [["ALREADY_LICENSED"]] * 4
    async with services.db.read_session() as session:
        activated = await session.scalar(
            select(func.count()).select_from(License).where(License.activated_at.is_not(None))
        )
    # Only the winner's term started: the losers rolled back entirely.
    assert activated == 1
