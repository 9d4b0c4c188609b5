"""Interop with a certified relying party: node's openid-client v6, against the live server."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from domain.enums import Role
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, create_actor
from tests.identity.oidc import register_client
from tests.support.server import LiveServer

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
SCRIPT = NODE_DIR / "oidc_interop.mjs"

pytestmark = pytest.mark.node


async def run_openid_client(live: LiveServer, *args: str) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is required for the interop test (make test-deps)"
    process = await asyncio.create_subprocess_exec(
        node,
        str(SCRIPT),
        live.settings.issuer,
        *args,
        cwd=NODE_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, stderr.decode()
    result: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("public", [False, True], ids=["confidential", "public"])
async def test_openid_client_runs_the_whole_flow(
    live: LiveServer, services: Services, public: bool
) -> None:
    actor = await create_actor(services, role=Role.SUPER_ADMIN, with_password=True)
    client = await register_client(services, public=public)
    seen = await run_openid_client(
        live,
        client.client_id,
        client.client_secret or "-",
        client.redirect_uri,
        actor.user.email,
        DEFAULT_PASSWORD,
    )
    # openid-client already checked signature (by kid), nonce, iss, aud, state and the RFC 9207
    # iss parameter; check what it saw against what we know.
    issuer = live.settings.issuer
    assert seen["callbackIss"] == issuer
    jwks = (await live.client.get("/oauth/jwks")).json()
    assert seen["idTokenHeader"]["alg"] == "RS256"
    assert seen["idTokenHeader"]["kid"] in {key["kid"] for key in jwks["keys"]}
    claims = seen["claims"]
    assert claims["iss"] == issuer
    assert claims["aud"] in (client.client_id, [client.client_id])
    assert claims["sub"] == str(actor.user.id)
    assert isinstance(claims["auth_time"], int) and isinstance(claims["sid"], str)
    assert claims["email"] == actor.user.email
    assert seen["userinfo"]["sub"] == str(actor.user.id)
    assert seen["userinfo"]["email"] == actor.user.email
    assert seen["viewerBefore"]["data"]["viewer"]["user"]["email"] == actor.user.email
    assert seen["rotated"] is True
    assert seen["viewerAfterRefresh"]["data"]["viewer"]["user"]["email"] == actor.user.email
    # Revoking the refresh token ends its family: the refresh token and the access tokens.
    assert seen["refreshAfterRevoke"] == "invalid_grant"
    assert seen["viewerAfterRevoke"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert seen["endSessionUrl"].startswith(issuer + "/logout?")
