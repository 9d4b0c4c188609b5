"""``Organization`` is navigable: its locations, devices, members, licenses, support partner and
audit events are the root fields' answers for that organization, and exactly as protected."""

from __future__ import annotations

from domain.enums import Role
from runtime import Services
from tests.console.support import customer
from tests.factories import create_device
from tests.support.server import LiveServer

NESTED = """
query {
  viewer {
    organization {
      locations(first: 5) { totalCount edges { node { id } } }
      devices(first: 5, search: "gate") { totalCount edges { node { name } } }
      members(first: 5) { edges { node { role } } }
      licenses(first: 5) { totalCount }
      supportPartner { id }
    }
  }
}
"""
ROOT = """
query {
  locations(first: 5) { totalCount edges { node { id } } }
  devices(first: 5, search: "gate") { totalCount edges { node { name } } }
  members(first: 5) { edges { node { role } } }
  licenses(first: 5) { totalCount }
  supportPartner { id }
}
"""
AUDIT = "query { viewer { organization { auditEvents(first: 3) { edges { node { action } } } } } }"


async def test_the_edges_answer_as_their_root_twins(live: LiveServer, services: Services) -> None:
    owner = await customer(services)
    async with services.db.unit_of_work() as session:
        await create_device(session, owner.organization, name="Gate camera")
        await create_device(session, owner.organization, name="Yard camera")
    nested = await live.graphql(NESTED, {}, headers=owner.headers)
    root = await live.graphql(ROOT, {}, headers=owner.headers)
    assert "errors" not in nested, nested
    assert nested["data"]["viewer"]["organization"] == root["data"]
    assert nested["data"]["viewer"]["organization"]["devices"]["totalCount"] == 1
    audit = await live.graphql(AUDIT, {}, headers=owner.headers)
    assert "errors" not in audit, audit


async def test_the_edges_are_as_protected_as_their_root_twins(
    live: LiveServer, services: Services
) -> None:
    owner = await customer(services)
    user = await customer(services, role=Role.USER, organization=owner.organization)
    nested = await live.graphql(AUDIT, {}, headers=user.headers)
    root = await live.graphql(
        "query { auditEvents(first: 3) { totalCount } }", {}, headers=user.headers
    )
    assert nested["errors"][0]["extensions"]["code"] == root["errors"][0]["extensions"]["code"]
    assert nested["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The refused edge alone is null: what else the request asked for stands.
    assert nested["errors"][0]["path"] == ["viewer", "organization", "auditEvents"]
    assert nested["data"]["viewer"]["organization"] == {"auditEvents": None}
    assert root["data"] is None
