"""Issuing license keys (internal admins) and redeeming them (an organization's managers)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import License
from domain.enums import OrganizationType, Role
from kit.crypto import sha256_hex
from runtime import Services
from tests.audit.support import audit_events
from tests.factories import Actor, create_actor, create_license, create_organization
from tests.licenses.support import ISSUE, REDEEM
from tests.support.gql import call, codes, error_code, mutate
from tests.support.server import LiveServer

KEY_FORMAT = re.compile(
    r"^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}(-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}){4}$"
)


async def issue(live: LiveServer, admin: Actor, **input: Any) -> list[dict[str, Any]]:
    payload = await mutate(
        live, admin, ISSUE, **{"productKey": "HEALTHPRO", "termDays": 365, "seats": 1, **input}
    )
    assert payload["userErrors"] == [], payload
    keys: list[dict[str, Any]] = payload["licenseKeys"]
    return keys


async def test_internal_admin_issues_keys_that_are_shown_once_and_stored_hashed(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    issued = await issue(live, admin, productKey="sightmind", termDays=90, seats=3, count=3)

    assert len(issued) == 3
    plain = [item["key"] for item in issued]
    assert len(set(plain)) == 3
    for item in issued:
        assert KEY_FORMAT.match(item["key"]), item["key"]
        lic = item["license"]
        assert lic["product"] == {"key": "SIGHTMIND", "name": "SightMind"}
        assert (lic["termDays"], lic["seats"], lic["seatsUsed"]) == (90, 3, 0)
        assert lic["status"] == "AVAILABLE"
        assert lic["keyHint"] == item["key"][-4:]
        assert lic["organization"] is None and lic["redeemedAt"] is None
        assert lic["activatedAt"] is None and lic["expiresAt"] is None

    async with services.db.read_session() as session:
        rows = (await session.scalars(select(License))).all()
    assert len(rows) == 3
    stored = {row.key_hash for row in rows}
    # Only the SHA-256 of the compact key is kept: no column holds the key itself.
    assert stored == {sha256_hex(k.replace("-", "")) for k in plain}
    for row in rows:
        assert len(row.key_hint) == 4
        assert all(k.replace("-", "") not in (row.key_hash, row.key_hint) for k in plain)

    [event] = await audit_events(services, "license.keys_issued")
    assert event.actor_user_id == admin.user.id
    assert event.target_id == "SIGHTMIND"
    assert sorted(event.details["license_ids"]) == sorted(item["license"]["id"] for item in issued)
    assert all(k not in str(event.details) for k in plain)


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.SUPER_ADMIN, OrganizationType.CUSTOMER),
        (Role.ADMIN, OrganizationType.CUSTOMER),
        (Role.USER, OrganizationType.CUSTOMER),
        (Role.SUPER_ADMIN, OrganizationType.PARTNER),
    ],
)
async def test_only_internal_admins_issue_keys(
    live: LiveServer, services: Services, role: Role, kind: OrganizationType
) -> None:
    actor = await create_actor(services, role=role, organization_type=kind)
    body = await call(
        live, actor, ISSUE, {"input": {"productKey": "HEALTHPRO", "termDays": 30, "count": 1}}
    )
    assert error_code(body) == "FORBIDDEN"
    async with services.db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(License)) == 0


async def test_issue_reports_every_bad_field_and_creates_nothing(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    payload = await mutate(live, admin, ISSUE, productKey="NOPE", termDays=0, seats=-1, count=501)
    assert payload["licenseKeys"] is None
    assert sorted((e["field"][-1], e["code"]) for e in payload["userErrors"]) == [
        ("count", "OUT_OF_RANGE"),
        ("productKey", "UNKNOWN_PRODUCT"),
        ("seats", "OUT_OF_RANGE"),
        ("termDays", "OUT_OF_RANGE"),
    ]
    async with services.db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(License)) == 0


@pytest.mark.parametrize("role", [Role.SUPER_ADMIN, Role.ADMIN])
async def test_an_organization_redeems_a_key_once(
    live: LiveServer, services: Services, role: Role
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    [item] = await issue(live, admin, termDays=365, seats=2)
    customer = await create_actor(services, role=role)

    # People type keys in lower case, with spaces instead of dashes.
    typed = " " + item["key"].lower().replace("-", " ") + " "
    payload = await mutate(live, customer, REDEEM, key=typed)
    assert payload["userErrors"] == []
    lic = payload["license"]
    assert lic["id"] == item["license"]["id"]
    assert lic["organization"] == {"id": str(customer.organization.id)}
    assert lic["redeemedAt"] is not None
    assert lic["status"] == "AVAILABLE" and lic["activatedAt"] is None

    [event] = await audit_events(services, "license.redeemed")
    assert event.organization_id == customer.organization.id
    assert event.target_id == lic["id"]
    assert event.actor_user_id == customer.user.id
    assert event.client_address == "127.0.0.1"


async def test_unknown_and_used_keys_get_the_same_answer(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    [item] = await issue(live, admin)
    first = await create_actor(services)
    second = await create_actor(services)
    assert (await mutate(live, first, REDEEM, key=item["key"]))["userErrors"] == []

    again = await mutate(live, first, REDEEM, key=item["key"])
    elsewhere = await mutate(live, second, REDEEM, key=item["key"])
    unknown_key = "-".join(["ABCDE"] * 5)
    unknown = await mutate(live, second, REDEEM, key=unknown_key)
    garbage = await mutate(live, second, REDEEM, key="not a key at all")
    huge = await mutate(live, second, REDEEM, key="A" * 10_000)
    answers = [again, elsewhere, unknown, garbage, huge]
    for payload in answers:
        assert payload["license"] is None
    # Word for word the same: nothing tells a used key from one that never existed.
    assert len({str(p["userErrors"]) for p in answers}) == 1
    assert answers[0]["userErrors"] == [
        {
            "field": ["input", "key"],
            "message": "This license key is not valid or has already been redeemed.",
            "code": "INVALID_LICENSE_KEY",
        }
    ]
    # The license stayed with the first organization.
    async with services.db.read_session() as session:
        row = await session.scalar(select(License).where(License.id.is_not(None)))
    assert row is not None and row.organization_id == first.organization.id

    # Every refused attempt is audited (committed even though the mutation failed); the hint of a
    # well-formed key helps support find it, the key itself is never stored.
    failures = await audit_events(services, "license.redeem_failed")
    assert len(failures) == 5
    assert {f.details["reason"] for f in failures} == {"invalid_key"}
    assert [f.details["key_hint"] for f in failures][:3] == [
        item["key"][-4:],
        item["key"][-4:],
        "BCDE",
    ]
    assert all(item["key"] not in str(f.details) for f in failures)


async def test_users_cannot_redeem(live: LiveServer, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    [item] = await issue(live, admin)
    user = await create_actor(services, role=Role.USER)
    body = await call(live, user, REDEEM, {"input": {"key": item["key"]}})
    assert error_code(body) == "FORBIDDEN"
    # The key is still good for someone who may redeem it.
    manager = await create_actor(services, role=Role.ADMIN, organization=user.organization)
    assert (await mutate(live, manager, REDEEM, key=item["key"]))["userErrors"] == []


async def test_a_technician_redeems_for_the_customer_through_organization_id(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    [item] = await issue(live, admin)
    customer = await create_actor(services)
    stranger = await create_actor(services)
    # An organization the actor has no path to looks exactly like one that does not exist.
    other = await mutate(
        live, stranger, REDEEM, key=item["key"], organizationId=str(customer.organization.id)
    )
    missing = await mutate(
        live,
        stranger,
        REDEEM,
        key=item["key"],
        organizationId="0190f0f0-0000-7000-8000-000000000000",
    )
    malformed = await mutate(live, stranger, REDEEM, key=item["key"], organizationId="nope")
    assert other["userErrors"] == missing["userErrors"] == malformed["userErrors"]
    assert codes(other) == ["NOT_FOUND"]
    assert other["userErrors"][0]["field"] == ["input", "organizationId"]
    # The key was not spent by those attempts.
    payload = await mutate(
        live, customer, REDEEM, key=item["key"], organizationId=str(customer.organization.id)
    )
    assert payload["userErrors"] == []


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.node.name.startswith("test_failed_redemptions_are_rate_limited"):
        return {"rate_limit_license_redeem": "3/hour"}
    return {}


async def test_failed_redemptions_are_rate_limited_per_client_address(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    [item] = await issue(live, admin)
    guesser = await create_actor(services)
    for _ in range(3):
        payload = await mutate(live, guesser, REDEEM, key="-".join(["WXYZ2"] * 5))
        assert codes(payload) == ["INVALID_LICENSE_KEY"]
    # The budget of this address is spent: even a valid key, even for another user, waits.
    neighbour = await create_actor(services)
    for actor in (guesser, neighbour):
        payload = await mutate(live, actor, REDEEM, key=item["key"])
        assert codes(payload) == ["RATE_LIMITED"]
    async with services.db.read_session() as session:
        row = await session.scalar(select(License))
    assert row is not None and row.organization_id is None
    reasons = [e.details["reason"] for e in await audit_events(services, "license.redeem_failed")]
    assert reasons == ["invalid_key"] * 3 + ["rate_limited"] * 2


async def test_failed_redemptions_are_rate_limited_even_in_a_concurrent_burst(
    live: LiveServer, services: Services
) -> None:
    guesser = await create_actor(services)
    guesses = ["-".join([f"WXYZ{letter}"] + ["WXYZ2"] * 4) for letter in "ABCDEFGHJKLMNPQRSTUV"]
    answers = await asyncio.gather(*(mutate(live, guesser, REDEEM, key=k) for k in guesses))
    # Each attempt reserves its failure before the key is tried: at most 3 keys were tried.
    assert sum(1 for a in answers if codes(a) == ["INVALID_LICENSE_KEY"]) <= 3
    reasons = [e.details["reason"] for e in await audit_events(services, "license.redeem_failed")]
    assert reasons.count("invalid_key") <= 3
    assert reasons.count("rate_limited") >= 17


async def test_concurrent_redemptions_of_one_key_end_one_way(
    live: LiveServer, services: Services
) -> None:
    async with services.db.unit_of_work() as session:
        _, key = await create_license(session)
    organizations = [await create_actor(services) for _ in range(4)]
    payloads = await asyncio.gather(
        *(mutate(live, actor, REDEEM, key=key) for actor in organizations)
    )
    winners = [p for p in payloads if not p["userErrors"]]
    assert len(winners) == 1
    assert sorted(codes(p) for p in payloads if p["userErrors"]) == [["INVALID_LICENSE_KEY"]] * 3
    async with services.db.read_session() as session:
        row = await session.scalar(select(License))
    assert row is not None
    assert str(row.organization_id) == winners[0]["license"]["organization"]["id"]


async def test_a_partner_organization_may_hold_licenses_too(
    live: LiveServer, services: Services
) -> None:
    async with services.db.unit_of_work() as session:
        _, key = await create_license(session)
        await create_organization(session)
    partner = await create_actor(services, organization_type=OrganizationType.PARTNER)
    assert (await mutate(live, partner, REDEEM, key=key))["userErrors"] == []
