"""The viewer query over HTTP, with tokens minted by the portal's key service."""

from __future__ import annotations

from domain.enums import OrganizationType, Role
from runtime import Services
from tests.factories import add_member, create_actor, create_organization
from tests.support.server import LiveServer
from tests.support.tokens import mint_access_token

VIEWER = """
query { viewer { user { email } organization { id type } role organizations { id } } }
"""


async def test_viewer_reports_the_working_organization(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    body = await live.graphql(VIEWER, token=actor.token)
    assert "errors" not in body, body
    viewer = body["data"]["viewer"]
    assert viewer["user"]["email"] == actor.user.email
    assert viewer["organization"]["id"] == str(actor.organization.id)
    assert viewer["organization"]["type"] == "CUSTOMER"
    assert viewer["role"] == "ADMIN"


async def test_a_request_may_name_another_working_organization(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    async with services.db.unit_of_work() as session:
        second = await create_organization(session, type=OrganizationType.CUSTOMER)
        await add_member(session, actor.user, second, Role.USER)
    body = await live.graphql(
        VIEWER, token=actor.token, headers={"X-Organization-Id": str(second.id)}
    )
    assert body["data"]["viewer"]["organization"]["id"] == str(second.id)
    assert body["data"]["viewer"]["role"] == "USER"
    assert len(body["data"]["viewer"]["organizations"]) == 2
    # An organization the user has no path to is refused, whether or not it exists.
    other = await create_actor(services)
    refused = await live.graphql(
        VIEWER, token=actor.token, headers={"X-Organization-Id": str(other.organization.id)}
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_viewer_without_a_valid_token_is_unauthenticated(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services)
    for token in (None, "garbage", "a.b.c"):
        body = await live.graphql(VIEWER, token=token)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # A token for another audience is refused too.
    wrong_audience = await mint_access_token(services, actor.user.id, audience="someone-else")
    body = await live.graphql(VIEWER, token=wrong_audience)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
