from __future__ import annotations

from domain.enums import Role
from runtime import Services
from tests.factories import create_actor
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    exchange_code,
    refresh,
    register_client,
    sign_in,
)
from tests.support.server import LiveServer


async def test_code_flow_end_to_end(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN, with_password=True)
    client = await register_client(services)
    request = AuthRequest(client)
    async with Browser(live.url) as browser:
        params = await sign_in(browser, request, actor.user.email)
    assert params["state"] == request.state
    assert params["iss"] == live.settings.issuer
    tokens = await exchange_code(live.client, request, params["code"])
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert {"access_token", "id_token", "refresh_token"} <= body.keys()
    viewer = await live.graphql("{ viewer { user { email } } }", token=body["access_token"])
    assert viewer["data"]["viewer"]["user"]["email"] == actor.user.email
    again = await refresh(live.client, client, body["refresh_token"])
    assert again.status_code == 200, again.text
