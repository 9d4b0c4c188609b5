"""``node(id:)`` finds an organization, location, area, device or license by its id alone, exactly
as the root lookups do: the owner gets the object, anyone else (a stranger, another tenant) and a
random or malformed id get null; a third-party token needs ``organizations:read`` and the type's
scope; an internal admin finds any live organization (and nothing inside it by id)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import update

from db.models import Organization
from domain.enums import Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import Actor, create_actor, create_device, create_license
from tests.support.server import LiveServer
from tests.support.tokens import mint_access_token

NODE = """
query($id: ID!) {
  node(id: $id) { __typename id ... on Device { name } ... on Organization { name type } }
}
"""


async def _world(services: Services) -> tuple[Actor, dict[str, str]]:
    owner = await create_actor(services, role=Role.USER)
    async with services.db.unit_of_work() as session:
        device = await create_device(session, owner.organization, name="Gate camera")
        license, _ = await create_license(session, organization=owner.organization)
    ids = {
        "Organization": str(owner.organization.id),
        "Device": str(device.id),
        "Location": str(device.location_id),
        "Area": str(device.area_id),
        "License": str(license.id),
    }
    return owner, ids


async def _node(live: LiveServer, id: str, headers: dict[str, str]) -> dict[str, Any]:
    return await live.graphql(NODE, {"id": id}, headers=headers)


async def test_node_finds_each_type_for_its_owner(live: LiveServer, services: Services) -> None:
    owner, ids = await _world(services)
    for typename, id in ids.items():
        body = await _node(live, id, owner.headers)
        assert "errors" not in body, body
        assert body["data"]["node"]["__typename"] == typename
        assert body["data"]["node"]["id"] == id
    device = await _node(live, ids["Device"], owner.headers)
    assert device["data"]["node"]["name"] == "Gate camera"
    organization = await _node(live, ids["Organization"], owner.headers)
    assert organization["data"]["node"]["name"] == owner.organization.name
    assert organization["data"]["node"]["type"] == "CUSTOMER"


async def test_an_organization_through_node_navigates_like_the_viewers(
    live: LiveServer, services: Services
) -> None:
    owner, ids = await _world(services)
    query = """
    query($id: ID!) {
      node(id: $id) {
        ... on Organization { devices(first: 5) { edges { node { id } } } }
      }
    }
    """
    body = await live.graphql(query, {"id": ids["Organization"]}, headers=owner.headers)
    assert body["data"]["node"]["devices"]["edges"] == [{"node": {"id": ids["Device"]}}]


async def test_an_internal_admin_finds_any_organization_and_nothing_deleted(
    live: LiveServer, services: Services
) -> None:
    owner, ids = await _world(services)
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    found = await _node(live, ids["Organization"], admin.headers)
    assert found["data"]["node"]["id"] == ids["Organization"], found
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == owner.organization.id)
            .values(deleted_at=utcnow())
        )
    assert await _node(live, ids["Organization"], admin.headers) == {"data": {"node": None}}


async def test_node_is_null_for_others_and_for_ids_that_do_not_exist(
    live: LiveServer, services: Services
) -> None:
    owner, ids = await _world(services)
    stranger = await create_actor(services, role=Role.SUPER_ADMIN)
    _, others = await _world(services)
    missing = await _node(live, str(uuid.uuid4()), owner.headers)
    assert missing == {"data": {"node": None}}
    assert await _node(live, "not-an-id", owner.headers) == missing
    for id in ids.values():
        assert await _node(live, id, stranger.headers) == missing
    # Another tenant's objects, asked for by this tenant's owner.
    for id in others.values():
        assert await _node(live, id, owner.headers) == missing


async def _third_party(services: Services, owner: Actor, scope: str) -> dict[str, str]:
    token = await mint_access_token(
        services, owner.user.id, client_id="third-party-app", scope=f"openid {scope}"
    )
    return {**owner.headers, "Authorization": f"Bearer {token}"}


async def test_node_with_a_third_party_token(live: LiveServer, services: Services) -> None:
    owner, ids = await _world(services)

    # Without organizations:read: refused, whatever the id.
    body = await _node(live, ids["Device"], await _third_party(services, owner, "devices:read"))
    assert body["data"]["node"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    # With it but without the type's scope: null, as for an id that never existed.
    reader = await _third_party(services, owner, "organizations:read licenses:read")
    assert await _node(live, ids["Device"], reader) == {"data": {"node": None}}
    assert await _node(live, ids["Location"], reader) == {"data": {"node": None}}
    found = await _node(live, ids["Organization"], reader)
    assert found["data"]["node"]["__typename"] == "Organization", found
    found = await _node(live, ids["License"], reader)
    assert found["data"]["node"]["__typename"] == "License", found
    # With both: found.
    both = await _third_party(services, owner, "organizations:read devices:read")
    found = await _node(live, ids["Device"], both)
    assert found["data"]["node"]["__typename"] == "Device", found
