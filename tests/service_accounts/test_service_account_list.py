"""The serviceAccounts list: Relay paging, the statements it sends (constant in the page size),
and backing accounts that no form can reach."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select

from db.models import ServiceAccount, User
from domain.enums import Role
from runtime import Services
from tests.factories import create_actor
from tests.service_accounts.support import LIST, create_service_account
from tests.support.gql import call, data, nodes, payload_for
from tests.support.server import LiveServer
from tests.support.sql import count_statements

INVITE = """
mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitation { id } userErrors { code field } }
}
"""
PAGE = """
query($first: Int) {
  serviceAccounts(first: $first) {
    edges { node { id name role clientId lastUsedAt createdBy { email } } }
  }
}
"""


async def test_pages_and_statements(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    made = [(await create_service_account(live, owner, name=f"Robot {i:02}")).id for i in range(12)]
    first = await data(live, owner, LIST, {"first": 5})
    page = first["serviceAccounts"]
    assert page["totalCount"] == 12 and page["pageInfo"]["hasNextPage"]
    seen = [e["node"]["id"] for e in page["edges"]]
    after = page["pageInfo"]["endCursor"]
    while after:
        more = (await data(live, owner, LIST, {"first": 5, "after": after}))["serviceAccounts"]
        seen += [e["node"]["id"] for e in more["edges"]]
        after = more["pageInfo"]["endCursor"] if more["pageInfo"]["hasNextPage"] else None
    assert seen == made

    counts = []
    for size in (5, 12):
        with count_statements(live.services.db.engine) as executed:
            body = await call(live, owner, PAGE, {"first": size})
        assert len(nodes(body, "serviceAccounts")) == size
        counts.append(len(executed))
    assert counts[0] == counts[1], counts


async def test_nobody_can_invite_or_sign_in_as_a_backing_account(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    machine = await create_service_account(live, owner, name="Exporter")
    async with services.db.read_session() as session:
        backing = await session.scalar(
            select(User)
            .join(ServiceAccount, ServiceAccount.user_id == User.id)
            .where(ServiceAccount.id == uuid.UUID(machine.id))
        )
    assert backing is not None and backing.password_hash is None
    assert backing.email.endswith("@service-accounts.invalid")
    invited = await payload_for(
        live, owner, INVITE, {"input": {"email": backing.email, "role": "ADMIN"}}
    )
    assert [e["code"] for e in invited["userErrors"]] == ["INVALID_EMAIL"]
    # It is no member: the organization's people are unchanged.
    members = await data(live, owner, "{ members(first: 10) { totalCount } }")
    assert members["members"]["totalCount"] == 1


async def test_racing_creations_of_one_name_end_one_way(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    create = """
    mutation($input: CreateServiceAccountInput!) {
      createServiceAccount(input: $input) { clientSecret userErrors { code } }
    }
    """
    variables = {"input": {"name": "Twin", "role": "USER"}}
    answers = await asyncio.gather(*(payload_for(live, owner, create, variables) for _ in range(4)))
    won = [a for a in answers if a["clientSecret"] is not None]
    lost = [a for a in answers if a["clientSecret"] is None]
    assert len(won) == 1, answers
    assert all(a["userErrors"] == [{"code": "NAME_TAKEN"}] for a in lost), answers
    listed = await data(live, owner, LIST, {})
    assert listed["serviceAccounts"]["totalCount"] == 1
