"""The internal admin console's organization queries: search, one in full, who may ask, and the
statements a page costs."""

from __future__ import annotations

import uuid
from typing import Any

from db.models import Organization
from domain.enums import (
    DeviceStatus,
    OrganizationStatus,
    OrganizationType,
    PartnerMappingStatus,
    Role,
)
from runtime import Services
from tests.admin.support import ORGANIZATION, ORGANIZATIONS
from tests.factories import (
    Actor,
    add_member,
    create_actor,
    create_device,
    create_license,
    create_organization,
    create_user,
    rename_organization,
    unique_email,
)
from tests.partners.support import create_partner, map_directly
from tests.support.gql import call, data, error_code
from tests.support.roles import create_technician
from tests.support.server import LiveServer
from tests.support.sql import count_statements


async def named_organization(
    services: Services,
    name: str,
    *,
    kind: OrganizationType = OrganizationType.CUSTOMER,
    status: OrganizationStatus = OrganizationStatus.ACTIVE,
    email: str | None = None,
) -> Organization:
    async with services.db.unit_of_work() as session:
        organization = await create_organization(session, type=kind, status=status, name=name)
        user = await create_user(session, email=email)
        await add_member(session, user, organization, Role.SUPER_ADMIN)
    return organization


def names(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


async def search(live: LiveServer, admin: Actor, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await data(live, admin, ORGANIZATIONS, variables))["organizations"]
    return result


async def test_search_filters_and_pages(live: LiveServer, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    tag = uuid.uuid4().hex[:8]
    email = unique_email(f"owner{tag}")
    acme = await named_organization(services, f"Acme {tag}", email=email)
    await named_organization(services, f"Beta {tag}", status=OrganizationStatus.PENDING)
    partner, code = await create_partner(services)
    await rename_organization(services, partner.organization.id, f"Gamma {tag}")

    found = await search(live, admin, search=tag.upper())
    # Newest first: the console's first page shows the latest sign-ups.
    assert names(found) == [f"Gamma {tag}", f"Beta {tag}", f"Acme {tag}"]
    assert found["totalCount"] == 3
    node = found["edges"][2]["node"]
    assert node["superAdmin"] == {"email": email}
    assert node["memberCount"] == 1 and node["locationCount"] == 1
    assert node["organization"] == {"id": str(acme.id), "name": f"Acme {tag}", "type": "CUSTOMER"}
    # By a member's email (any case), by part of a partner's STEP code, by id.
    assert names(await search(live, admin, search=email.upper()[:20])) == [f"Acme {tag}"]
    assert names(await search(live, admin, search=code.lower()[-8:])) == [f"Gamma {tag}"]
    assert names(await search(live, admin, search=f" {acme.id} ")) == [f"Acme {tag}"]
    # type and status narrow the search.
    assert names(await search(live, admin, search=tag, type="PARTNER")) == [f"Gamma {tag}"]
    assert names(await search(live, admin, search=tag, status="PENDING")) == [f"Beta {tag}"]
    assert names(await search(live, admin, search=tag, status="SUSPENDED")) == []
    assert (await search(live, admin, search="%"))["edges"] == []

    # Page by page: no repeats, no gaps.
    seen: list[str] = []
    after = None
    while True:
        page = await search(live, admin, search=tag, first=1, after=after)
        seen += names(page)
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == names(found)

    for bad in ({"after": "bogus"}, {"first": -1}, {"search": "x" * 201}):
        assert error_code(await call(live, admin, ORGANIZATIONS, bad)) == "BAD_USER_INPUT"


async def test_only_internal_admins_reach_the_console(live: LiveServer, services: Services) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partner, _ = await create_partner(services)
    technician = await create_technician(services, customer.organization)
    variables = {"id": str(customer.organization.id)}
    for actor in (customer, partner, technician):
        assert error_code(await call(live, actor, ORGANIZATIONS)) == "FORBIDDEN"
        assert error_code(await call(live, actor, ORGANIZATION, variables)) == "FORBIDDEN"
    assert error_code(await call(live, None, ORGANIZATIONS)) == "UNAUTHENTICATED"
    assert error_code(await call(live, None, ORGANIZATION, variables)) == "UNAUTHENTICATED"


async def test_one_organization_in_full(live: LiveServer, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    customer = owner.organization
    colleague = await create_actor(services, role=Role.ADMIN, organization=customer)
    async with services.db.unit_of_work() as session:
        await create_device(session, customer)
        await create_device(session, customer)
        await create_license(session, organization=customer)
    partner, code = await create_partner(services)
    technician = await create_technician(services, customer)  # another partner, still mapped
    # The technician's partner supports the customer; an ended mapping with ours stays visible.
    await map_directly(services, partner.organization, customer, status=PartnerMappingStatus.ENDED)

    body = await data(live, admin, ORGANIZATION, {"id": str(customer.id)})
    full = body["organization"]
    assert full["id"] == str(customer.id) and full["type"] == "CUSTOMER"
    assert full["status"] == "ACTIVE" and full["suspendedAt"] is None
    assert full["superAdmin"] == {"email": owner.user.email}
    assert full["memberCount"] == 2
    assert [(e["node"]["role"], e["node"]["user"]["email"]) for e in full["members"]["edges"]] == [
        ("SUPER_ADMIN", owner.user.email),
        ("ADMIN", colleague.user.email),
    ]
    assert full["members"]["totalCount"] == 2
    assert full["locationCount"] == 1
    assert full["deviceCounts"] == {
        "total": 2,
        "pending": 0,
        "online": 2,
        "offline": 0,
    }
    assert full["licenseSummary"]["total"] == 1 and full["licenseSummary"]["available"] == 1
    mappings = full["partnerMappings"]
    assert mappings["totalCount"] == 2
    assert [(e["node"]["status"], e["node"]["partner"]["id"]) for e in mappings["edges"]] == [
        ("ACTIVE", mappings["edges"][0]["node"]["partner"]["id"]),
        ("ENDED", str(partner.organization.id)),
    ]
    assert mappings["edges"][0]["node"]["partner"]["id"] != str(partner.organization.id)
    assert full["customerCount"] is None and full["stepPartnerCode"] is None
    assert technician.user.email not in {
        e["node"]["user"]["email"] for e in full["members"]["edges"]
    }

    # A partner: its STEP code, its customers (active ones counted).
    other = await create_actor(services, role=Role.SUPER_ADMIN)
    await map_directly(services, partner.organization, other.organization)
    theirs = (await data(live, admin, ORGANIZATION, {"id": str(partner.organization.id)}))[
        "organization"
    ]
    assert theirs["type"] == "PARTNER"
    assert theirs["stepPartnerCode"]["code"] == code
    assert theirs["stepPartnerCode"]["status"] == "ACTIVE"
    assert theirs["customerCount"] == 1
    assert theirs["partnerMappings"]["totalCount"] == 2
    assert [e["node"]["customer"]["id"] for e in theirs["partnerMappings"]["edges"]] == [
        str(customer.id),
        str(other.organization.id),
    ]

    # A missing id, or no id at all, is simply null.
    for missing in (str(uuid.uuid4()), "nope"):
        assert (await data(live, admin, ORGANIZATION, {"id": missing})) == {"organization": None}


async def test_a_page_costs_the_same_whatever_its_size(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    tag = uuid.uuid4().hex[:8]
    for n in range(52):
        organization = await named_organization(services, f"Org {tag} {n}")
        if n % 5 == 0:
            async with services.db.unit_of_work() as session:
                device = await create_device(session, organization)
                device.status = DeviceStatus.OFFLINE
    partner, _ = await create_partner(services)
    await rename_organization(services, partner.organization.id, f"Partner {tag}")
    query = ORGANIZATIONS.replace(
        "organization { id name type }",
        "organization { id name type } members(first: 3) { edges { node { role user { email } } } }"
        " partnerMappings(first: 3) { edges { node { status partner { name } } } }",
    )
    counts = {}
    for first in (5, 50):
        variables = {"search": tag, "first": first}
        await data(live, admin, query, variables)  # warm the caches
        with count_statements(services.db.engine) as statements:
            result = await data(live, admin, query, variables)
        assert len(result["organizations"]["edges"]) == first
        counts[first] = len(statements)
    assert counts[5] == counts[50], counts
