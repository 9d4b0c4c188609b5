"""The partner landing's counts (locationCount, deviceCounts, licenseSummary): loaded for the whole
page when asked for, the same however the client spells the selection (fragments, aliases,
directives), and costing the same number of SQL statements for 5 customers as for 50."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from db.models import Location
from domain.enums import DeviceStatus, OrganizationType, Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import (
    Actor,
    attach_device,
    create_actor,
    create_device,
    create_license,
)
from tests.partners.support import map_new_customer
from tests.support.server import LiveServer
from tests.support.sql import count_statements

COUNTS = """
locationCount
deviceCounts { total online offline pending }
licenseSummary { total available inUse expiringSoon expired }
"""
DIRECT = f"""
query($first: Int) {{ landing {{ ... on PartnerLanding {{
  customers(first: $first) {{ edges {{ node {{ name {COUNTS} }} }} }}
}} }} }}
"""
THROUGH_FRAGMENTS = f"""
query($first: Int) {{ landing {{ ... on PartnerLanding {{ ...Page }} }} }}
fragment Page on PartnerLanding {{ customers(first: $first) {{ ...Edges }} }}
fragment Edges on CustomerConnection {{ edges {{ node {{ name ...Counts }} }} }}
fragment Counts on Customer {{ {COUNTS} }}
"""
# Two lists of the same customers side by side, each asking for different counts.
ALIASED = """
query($first: Int) { landing { ... on PartnerLanding {
  a: customers(first: $first) { edges { node { name locationCount } } }
  b: customers(first: $first) { edges { node { name deviceCounts { total online offline pending }
                                                  licenseSummary { total available inUse expiringSoon expired } } } }
} } }
"""
# Directives are not evaluated by the page's look-ahead: the answer must still follow them.
DIRECTIVES = f"""
query($first: Int, $with: Boolean!) {{ landing {{ ... on PartnerLanding {{
  customers(first: $first) {{ edges {{ node {{ name ... @include(if: $with) {{ {COUNTS} }} }} }} }}
}} }} }}
"""
NAMES_ONLY = """
query($first: Int) { landing { ... on PartnerLanding {
  customers(first: $first) { edges { node { name } } }
} } }
"""


async def _landing(
    live: LiveServer, partner: Actor, document: str, **variables: Any
) -> list[dict[str, Any]]:
    body = await live.graphql(document, variables, token=partner.token)
    assert "errors" not in body, body
    edges: list[dict[str, Any]] = body["data"]["landing"]["customers"]["edges"]
    return [edge["node"] for edge in edges]


async def test_counts_are_right_however_they_are_asked_for(
    live: LiveServer, services: Services
) -> None:
    partner = await create_actor(
        services, role=Role.USER, organization_type=OrganizationType.PARTNER
    )
    busy = await map_new_customer(services, partner, "Busy Retail")
    await map_new_customer(services, partner, "Empty Logistics")
    async with services.db.unit_of_work() as session:
        session.add(Location(organization_id=busy.id, name="Warehouse", time_zone="Europe/Berlin"))
        devices = [await create_device(session, busy) for _ in range(3)]
        devices[1].status = DeviceStatus.OFFLINE
        devices[2].status = DeviceStatus.PENDING
        in_use, _ = await create_license(session, organization=busy, seats=2)
        await attach_device(session, in_use, devices[0])
        await create_license(session, organization=busy)  # available
        await create_license(  # in its last days
            session, organization=busy, term_days=10, activated_at=utcnow() - timedelta(days=5)
        )
        await create_license(  # over
            session, organization=busy, term_days=10, activated_at=utcnow() - timedelta(days=20)
        )
    busy_counts = {
        "name": "Busy Retail",
        "locationCount": 2,
        "deviceCounts": {"total": 3, "online": 1, "offline": 1, "pending": 1},
        "licenseSummary": {
            "total": 4,
            "available": 1,
            "inUse": 1,
            "expiringSoon": 1,
            "expired": 1,
        },
    }
    empty_counts = {
        "name": "Empty Logistics",
        "locationCount": 1,
        "deviceCounts": {"total": 0, "online": 0, "offline": 0, "pending": 0},
        "licenseSummary": {
            "total": 0,
            "available": 0,
            "inUse": 0,
            "expiringSoon": 0,
            "expired": 0,
        },
    }
    expected = [busy_counts, empty_counts]
    assert await _landing(live, partner, DIRECT) == expected
    assert await _landing(live, partner, THROUGH_FRAGMENTS) == expected
    assert await _landing(live, partner, DIRECTIVES, **{"with": True}) == expected
    assert await _landing(live, partner, DIRECTIVES, **{"with": False}) == [
        {"name": "Busy Retail"},
        {"name": "Empty Logistics"},
    ]
    body = await live.graphql(ALIASED, {}, token=partner.token)
    assert "errors" not in body, body
    customers = body["data"]["landing"]
    assert [e["node"] for e in customers["a"]["edges"]] == [
        {"name": c["name"], "locationCount": c["locationCount"]} for c in expected
    ]
    assert [e["node"] for e in customers["b"]["edges"]] == [
        {k: v for k, v in c.items() if k != "locationCount"} for c in expected
    ]


async def test_the_landing_is_constant_in_the_page_size(
    live: LiveServer, services: Services
) -> None:
    partner = await create_actor(
        services, role=Role.USER, organization_type=OrganizationType.PARTNER
    )
    for n in range(55):
        customer = await map_new_customer(services, partner, f"Customer {n:02d}")
        if n % 5 == 0:
            async with services.db.unit_of_work() as session:
                await create_device(session, customer)
                await create_license(session, organization=customer)
    engine = live.services.db.engine
    with count_statements(engine) as small:
        assert len(await _landing(live, partner, DIRECT, first=5)) == 5
    with count_statements(engine) as large:
        page = await _landing(live, partner, DIRECT, first=50)
    assert len(page) == 50
    assert len(small) == len(large), (small, large)
    assert sum(c["deviceCounts"]["total"] for c in page) == 10
    assert sum(c["licenseSummary"]["total"] for c in page) == 10
    # Counts nobody asked for are not counted.
    with count_statements(engine) as names:
        await _landing(live, partner, NAMES_ONLY, first=50)
    counting = ("FROM device", "FROM license", "FROM location")
    assert sum(any(t in s for t in counting) for s in large) == 3, large
    assert not any(any(t in s for t in counting) for s in names), names
