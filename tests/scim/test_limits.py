"""SCIM's rate limit: counted per token (a wrong token too), 429 in SCIM's error format; another
organization's token is not slowed down by it."""

from __future__ import annotations

from typing import Any

import pytest

from domain.enums import Role
from runtime import Services
from tests.factories import create_actor
from tests.scim.support import Scim, assert_error, create_token
from tests.support.server import LiveServer


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"rate_limit_scim": "3/minute"}


async def test_a_token_over_its_rate_is_told_to_wait(live: LiveServer, services: Services) -> None:
    ours = Scim(live, await create_token(live, await create_actor(services, role=Role.SUPER_ADMIN)))
    theirs = Scim(
        live, await create_token(live, await create_actor(services, role=Role.SUPER_ADMIN))
    )
    for _ in range(3):
        assert (await ours.request("GET", "/Users")).status_code == 200
    refused = await ours.request("GET", "/Users")
    assert_error(refused, 429)
    assert refused.headers["retry-after"] == "60"
    assert (await theirs.request("GET", "/Users")).status_code == 200
    wrong = Scim(live, "cpscim_guess")
    for _ in range(3):
        assert_error(await wrong.request("GET", "/Users"), 401)
    assert_error(await wrong.request("GET", "/Users"), 429)
