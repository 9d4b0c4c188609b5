"""Statuses (computed when read), the Licenses page summary, the list's filters and pages."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from db.models import License
from domain.enums import LicenseStatus, Role
from domain.licenses import repository
from domain.licenses.status import StatusClock, license_status
from kit.clock import utcnow
from kit.pagination import PageRequest
from runtime import Services
from tests.factories import (
    Actor,
    attach_device,
    create_actor,
    create_device,
    create_license,
)
from tests.licenses.support import LICENSES, SUMMARY
from tests.support.gql import call, error_code
from tests.support.server import LiveServer


@dataclass
class Fleet:
    actor: Actor
    by_status: dict[str, list[str]] = field(default_factory=dict)

    def ids(self, status: str) -> list[str]:
        return sorted(self.by_status.get(status, []))

    @property
    def all_ids(self) -> list[str]:
        return sorted(itertools.chain.from_iterable(self.by_status.values()))


async def build_fleet(services: Services) -> Fleet:
    """An organization with licenses in every state, and noise that must not count."""
    actor = await create_actor(services)
    fleet = Fleet(actor)
    now = utcnow()
    org = actor.organization
    async with services.db.unit_of_work() as session:

        async def add(
            status: str,
            *,
            product: str = "HEALTHPRO",
            days_left: int | None = None,
            attached: int = 0,
            detached: int = 0,
        ) -> None:
            term = 365
            activated = None if days_left is None else now - timedelta(days=term - days_left)
            lic, _ = await create_license(
                session,
                product_key=product,
                organization=org,
                term_days=term,
                seats=4,
                activated_at=activated,
            )
            # Fresh devices each time: a device holds one license per product.
            for _ in range(attached):
                await attach_device(session, lic, await create_device(session, org))
            for _ in range(detached):
                device = await create_device(session, org)
                await attach_device(session, lic, device)
                await _detach(session, lic, device)
            fleet.by_status.setdefault(status, []).append(str(lic.id))

        # Never attached, and attached once then detached (the term runs on): AVAILABLE.
        await add("AVAILABLE")
        await add("AVAILABLE", product="SIGHTMIND", days_left=200, detached=1)
        # Attached, far from expiry: IN_USE.
        await add("IN_USE", days_left=300, attached=1)
        await add("IN_USE", product="SIGHTMIND", days_left=100, attached=2)
        await add("IN_USE", product="PLATESENSE", days_left=31, attached=4)
        # Ending within 30 days, attached or not: EXPIRING_SOON wins over IN_USE.
        await add("EXPIRING_SOON", days_left=29, attached=1)
        await add("EXPIRING_SOON", product="SIGHTMIND", days_left=1)
        # Past the end, attached or not: EXPIRED wins over everything.
        await add("EXPIRED", days_left=-1, attached=2)
        await add("EXPIRED", product="SIGHTMIND", days_left=-300, detached=1)

        # Noise: an unredeemed license and another organization's licenses.
        await create_license(session)
    other = await create_actor(services)
    async with services.db.unit_of_work() as session:
        other_device = await create_device(session, other.organization)
        lic, _ = await create_license(session, organization=other.organization, activated_at=now)
        await attach_device(session, lic, other_device)
        await create_license(session, organization=other.organization)
    return fleet


async def _detach(session: Any, lic: License, device: Any) -> None:
    await repository.detach(session, lic.id, device.id, now=utcnow())


async def all_pages(live: LiveServer, actor: Actor, **variables: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        body = await call(live, actor, LICENSES, {**variables, "after": after})
        assert "errors" not in body, body
        connection = body["data"]["licenses"]
        nodes.extend(edge["node"] for edge in connection["edges"])
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


async def test_summary_counts_each_status_once(live: LiveServer, services: Services) -> None:
    fleet = await build_fleet(services)
    body = await call(live, fleet.actor, SUMMARY)
    assert body["data"]["licenseSummary"] == {
        "total": 9,
        "available": 2,
        "inUse": 3,
        "expiringSoon": 2,
        "expired": 2,
    }


@pytest.mark.parametrize("status", [s.value for s in LicenseStatus])
async def test_the_status_filter_returns_exactly_the_licenses_in_that_status(
    live: LiveServer, services: Services, status: str
) -> None:
    fleet = await build_fleet(services)
    nodes = await all_pages(live, fleet.actor, status=status, first=1)
    assert sorted(n["id"] for n in nodes) == fleet.ids(status)
    assert {n["status"] for n in nodes} <= {status}
    body = await call(live, fleet.actor, LICENSES, {"status": status, "first": 1})
    assert body["data"]["licenses"]["totalCount"] == len(fleet.ids(status))


async def test_every_license_shows_its_computed_status(
    live: LiveServer, services: Services
) -> None:
    fleet = await build_fleet(services)
    nodes = await all_pages(live, fleet.actor, first=100)
    shown = {n["id"]: n["status"] for n in nodes}
    assert shown == {i: s for s, ids in fleet.by_status.items() for i in ids}
    in_use = [n for n in nodes if n["status"] == "IN_USE"]
    assert sorted(n["seatsUsed"] for n in in_use) == [1, 2, 4]


async def test_pages_walk_the_list_in_order_without_gaps(
    live: LiveServer, services: Services
) -> None:
    fleet = await build_fleet(services)
    first_page = await call(live, fleet.actor, LICENSES, {"first": 4})
    connection = first_page["data"]["licenses"]
    assert connection["totalCount"] == 9
    assert len(connection["edges"]) == 4
    assert connection["pageInfo"]["hasNextPage"] is True
    assert connection["pageInfo"]["hasPreviousPage"] is False
    assert connection["pageInfo"]["endCursor"] == connection["edges"][-1]["cursor"]

    walked = await all_pages(live, fleet.actor, first=4)
    ids = [n["id"] for n in walked]
    assert ids == sorted(fleet.all_ids, key=uuid.UUID)  # creation order, each once
    # Filters and pages combine.
    sight = await all_pages(live, fleet.actor, product="sightmind", first=1)
    assert [n["product"]["key"] for n in sight] == ["SIGHTMIND"] * 4
    sight_soon = await all_pages(live, fleet.actor, product="SIGHTMIND", status="EXPIRING_SOON")
    assert len(sight_soon) == 1
    unknown = await call(live, fleet.actor, LICENSES, {"product": "NOPE"})
    assert unknown["data"]["licenses"]["totalCount"] == 0


async def test_bad_page_arguments_are_refused_clearly(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services)
    for variables in ({"after": "garbage"}, {"first": -1}):
        body = await call(live, actor, LICENSES, variables)
        assert error_code(body) == "BAD_USER_INPUT"
        assert body["data"] is None


async def test_page_size_is_capped(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services)
    async with services.db.unit_of_work() as session:
        for _ in range(live.settings.graphql_max_page_size + 1):
            await create_license(session, organization=actor.organization)
    body = await call(live, actor, LICENSES, {"first": 10_000})
    connection = body["data"]["licenses"]
    assert len(connection["edges"]) == live.settings.graphql_max_page_size
    assert connection["pageInfo"]["hasNextPage"] is True


async def test_other_tenants_lists_and_summaries_look_missing(
    live: LiveServer, services: Services
) -> None:
    fleet = await build_fleet(services)
    stranger = await create_actor(services)
    missing = "0190f0f0-0000-7000-8000-000000000000"
    for document in (LICENSES, SUMMARY):
        theirs = await call(live, stranger, document, {"org": str(fleet.actor.organization.id)})
        nowhere = await call(live, stranger, document, {"org": missing})
        assert error_code(theirs) == error_code(nowhere) == "NOT_FOUND"
        assert theirs["errors"][0]["message"] == nowhere["errors"][0]["message"]
    # Every member reads (a USER too), and internal admins read any organization.
    user = await create_actor(services, role=Role.USER, organization=fleet.actor.organization)
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    for reader in (user, admin):
        body = await call(live, reader, SUMMARY, {"org": str(fleet.actor.organization.id)})
        assert body["data"]["licenseSummary"]["total"] == 9


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.node.name.startswith("test_the_warning_window_is_a_setting"):
        return {"license_expiring_soon_days": 7}
    return {}


async def test_the_warning_window_is_a_setting(live: LiveServer, services: Services) -> None:
    fleet = await build_fleet(services)
    summary = (await call(live, fleet.actor, SUMMARY))["data"]["licenseSummary"]
    # 29 days left is no longer "soon" with a 7-day window (it is attached: IN_USE).
    assert (summary["expiringSoon"], summary["inUse"]) == (1, 4)


async def test_sql_and_python_agree_on_every_boundary(services: Services) -> None:
    """The filter (SQL) and the field (Python) judge statuses by the same rules, including at
    the exact instants where a status changes."""
    actor = await create_actor(services)
    clock = StatusClock(now=utcnow(), expiring_within=timedelta(days=30))
    tick = timedelta(microseconds=1)
    instants = [
        None,
        clock.now - timedelta(days=1),
        clock.now - tick,
        clock.now,
        clock.now + tick,
        clock.soon - tick,
        clock.soon,
        clock.soon + tick,
        clock.soon + timedelta(days=1),
    ]
    expected: dict[uuid.UUID, LicenseStatus] = {}
    async with services.db.unit_of_work() as session:
        for expires_at, attached in itertools.product(instants, (False, True)):
            lic, _ = await create_license(
                session, organization=actor.organization, product_key="CROWDFLOW", seats=5
            )
            lic.activated_at = expires_at - timedelta(days=365) if expires_at else None
            lic.expires_at = expires_at
            if attached:
                device = await create_device(session, actor.organization)
                await attach_device(session, lic, device)
            expected[lic.id] = license_status(expires_at, int(attached), clock)
    assert set(expected.values()) == set(LicenseStatus)
    async with services.db.read_session() as session:
        for status in LicenseStatus:
            rows = await repository.list_licenses(
                session,
                actor.organization.id,
                status=status,
                product_key=None,
                page=PageRequest(first=100, after=None),
                clock=clock,
            )
            assert {r.id for r in rows} == {i for i, s in expected.items() if s is status}
            assert all(
                license_status(r.license.expires_at, r.seats_used, clock) is status for r in rows
            )
        counts = (await repository.summaries(session, [actor.organization.id], clock))[
            actor.organization.id
        ]
    assert counts.total == len(expected)
    assert counts.expired == sum(s is LicenseStatus.EXPIRED for s in expected.values())
    assert counts.expiring_soon == sum(s is LicenseStatus.EXPIRING_SOON for s in expected.values())
    assert counts.in_use == sum(s is LicenseStatus.IN_USE for s in expected.values())
    assert counts.available == sum(s is LicenseStatus.AVAILABLE for s in expected.values())
