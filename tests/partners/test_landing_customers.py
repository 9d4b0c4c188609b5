"""The partner landing's `customers` (issue 5 item 6): everything it shows of each customer,
search and pages, that ending a mapping or an assignment shows on the very next request, and
that a page costs the same number of statements whatever its size."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from domain.enums import DeviceStatus, PartnerMappingStatus, Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import (
    Actor,
    create_actor,
    create_device,
    create_license,
    rename_organization,
)
from tests.partners.support import END, UNASSIGN, add_staff, create_partner, map_directly
from tests.support.gql import data, payload_of
from tests.support.server import LiveServer
from tests.support.sql import count_statements

CUSTOMERS = """
query($first: Int, $after: String, $search: String) {
  landing {
    ... on PartnerLanding {
      customers(first: $first, after: $after, search: $search) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node {
          id name country mappedAt mappingId locationCount
          deviceCounts { total pending online offline }
          licenseSummary { total available inUse expiringSoon expired }
          technicians(first: 5) {
            totalCount
            edges { node { id role roleLabel assignedAt user { email } } }
          }
        } }
      }
    }
  }
}
"""


async def customers(live: LiveServer, reader: Actor, **variables: Any) -> dict[str, Any]:
    # (`first` given: the cost limit counts a list without it at the maximum page size)
    variables.setdefault("first", 20)
    result: dict[str, Any] = (await data(live, reader, CUSTOMERS, variables))["landing"][
        "customers"
    ]
    return result


async def test_each_customer_shows_what_the_partner_needs(
    live: LiveServer, services: Services
) -> None:
    partner, _ = await create_partner(services)
    reader = await add_staff(services, partner, Role.USER)  # any member reads the landing
    first_tech = await add_staff(services, partner)
    second_tech = await add_staff(services, partner)
    tag = uuid.uuid4().hex[:6]
    north = await create_actor(services, role=Role.SUPER_ADMIN)
    south = await create_actor(services, role=Role.SUPER_ADMIN)
    await rename_organization(services, north.organization.id, f"North Retail {tag}")
    await rename_organization(services, south.organization.id, f"South Logistics {tag}")
    north_mapping = await map_directly(
        services,
        partner.organization,
        north.organization,
        technicians=(first_tech.user.id, second_tech.user.id),
    )
    await map_directly(services, partner.organization, south.organization)
    now = utcnow()
    async with services.db.unit_of_work() as session:
        for status in (DeviceStatus.ONLINE, DeviceStatus.ONLINE, DeviceStatus.OFFLINE):
            device = await create_device(session, north.organization)
            device.status = status
        await create_license(session, organization=north.organization)
        await create_license(
            session,
            organization=north.organization,
            activated_at=now - timedelta(days=360),
            term_days=365,
        )
        await create_license(
            session, organization=north.organization, activated_at=now - timedelta(days=400)
        )

    page = await customers(live, reader)
    assert page["totalCount"] == 2
    north_node, south_node = (edge["node"] for edge in page["edges"])
    assert north_node["id"] == str(north.organization.id)
    assert north_node["name"] == f"North Retail {tag}"
    assert north_node["mappingId"] == str(north_mapping)
    assert north_node["mappedAt"] is not None
    assert north_node["locationCount"] == 1
    assert north_node["deviceCounts"] == {"total": 3, "pending": 0, "online": 2, "offline": 1}
    assert north_node["licenseSummary"] == {
        "total": 3,
        "available": 1,
        "inUse": 0,
        "expiringSoon": 1,
        "expired": 1,
    }
    technicians = north_node["technicians"]
    assert technicians["totalCount"] == 2
    assert [
        (t["node"]["user"]["email"], t["node"]["role"], t["node"]["roleLabel"])
        for t in technicians["edges"]
    ] == [
        (first_tech.user.email, "TECHNICIAN", "Installer"),
        (second_tech.user.email, "TECHNICIAN", "Installer"),
    ]
    assert south_node["deviceCounts"]["total"] == 0
    assert south_node["licenseSummary"]["total"] == 0
    assert south_node["technicians"] == {"totalCount": 0, "edges": []}

    # Search (any case, part of the name) and pages.
    found = await customers(live, reader, search=f"LOGISTICS {tag}")
    assert [e["node"]["id"] for e in found["edges"]] == [str(south.organization.id)]
    one = await customers(live, reader, first=1)
    assert one["pageInfo"]["hasNextPage"] is True
    rest = await customers(live, reader, first=1, after=one["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["edges"]] == [str(south.organization.id)]
    assert rest["pageInfo"]["hasPreviousPage"] is True and rest["pageInfo"]["hasNextPage"] is False

    # Taking a technician off shows on the very next request — and they lose the customer with
    # the token they hold.
    as_technician = {
        "Authorization": f"Bearer {first_tech.token}",
        "X-Organization-Id": str(north.organization.id),
    }
    assert "errors" not in await live.graphql("{ viewer { role } }", headers=as_technician)
    technician = {"customerId": str(north.organization.id), "userId": str(first_tech.user.id)}
    assert (
        payload_of(await live.graphql(UNASSIGN, {"input": technician}, headers=partner.headers))[
            "userErrors"
        ]
        == []
    )
    after_unassign = (await customers(live, reader))["edges"][0]["node"]["technicians"]
    assert [t["node"]["user"]["email"] for t in after_unassign["edges"]] == [second_tech.user.email]
    refused = await live.graphql("{ viewer { role } }", headers=as_technician)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # Ending the mapping (from the customer's side) drops the customer from the very next page,
    # and its remaining technician loses it with a still-valid token.
    ended = payload_of(
        await live.graphql(END, {"input": {"mappingId": str(north_mapping)}}, headers=north.headers)
    )
    assert ended["userErrors"] == []
    after_end = await customers(live, reader)
    assert [e["node"]["id"] for e in after_end["edges"]] == [str(south.organization.id)]
    assert after_end["totalCount"] == 1
    still = {
        "Authorization": f"Bearer {second_tech.token}",
        "X-Organization-Id": str(north.organization.id),
    }
    gone = await live.graphql("{ viewer { role } }", headers=still)
    assert gone["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_page_costs_the_same_whatever_its_size(
    live: LiveServer, services: Services
) -> None:
    partner, _ = await create_partner(services)
    staff = await add_staff(services, partner)
    for n in range(52):
        customer = await create_actor(services, role=Role.SUPER_ADMIN)
        await map_directly(
            services,
            partner.organization,
            customer.organization,
            technicians=(staff.user.id,) if n % 2 else (),
        )
        if n % 4 == 0:
            async with services.db.unit_of_work() as session:
                await create_device(session, customer.organization)
                await create_license(session, organization=customer.organization)
    # Ended mappings are not on the page, whatever their number.
    other = await create_actor(services, role=Role.SUPER_ADMIN)
    await map_directly(
        services, partner.organization, other.organization, status=PartnerMappingStatus.ENDED
    )
    counts: dict[int, int] = {}
    for first in (5, 50):
        await data(live, partner, CUSTOMERS, {"first": first})  # warm the caches
        with count_statements(services.db.engine) as statements:
            page = await customers(live, partner, first=first)
        assert len(page["edges"]) == first
        counts[first] = len(statements)
    assert counts[5] == counts[50], counts
