"""What GraphQL accepts (only this issuer's access tokens for the API audience, live grants,
current users), the ID token's shape, userinfo, key rotation and discovery."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from db.models import Organization, User
from domain.authz.api_scopes import ApiScope
from domain.enums import OrganizationStatus, UserStatus
from identity.keys import rotate
from kit.clock import utcnow
from runtime import Services
from tests.factories import Actor
from tests.identity.oidc import (
    VIEWER,
    RegisteredClient,
    full_sign_in,
    refresh,
    verified_claims,
)
from tests.support.gql import graphql_code
from tests.support.server import LiveServer
from tests.support.tokens import mint_access_token


async def test_the_id_token(live: LiveServer, member: Actor, rp: RegisteredClient) -> None:
    request, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    header_kid = tokens["id_token"].split(".")[0]
    assert header_kid
    claims = await verified_claims(live.client, tokens["id_token"])
    assert claims["iss"] == live.settings.issuer
    assert claims["aud"] == rp.client_id
    assert claims["sub"] == str(member.user.id)
    assert claims["nonce"] == request.nonce
    assert claims["amr"] == ["pwd"]
    assert {"auth_time", "sid", "at_hash", "iat", "exp"} <= claims.keys()
    assert claims["exp"] - claims["iat"] == live.settings.id_token_ttl_seconds
    assert claims["email"] == member.user.email and claims["email_verified"] is True
    assert claims["given_name"] == member.user.first_name
    access = await verified_claims(live.client, tokens["access_token"])
    assert access["aud"] == live.settings.api_audience
    assert 300 <= access["exp"] - access["iat"] <= 900
    assert tokens["expires_in"] == access["exp"] - access["iat"]


async def test_graphql_refuses_id_tokens_and_other_audiences(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    assert graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) is None
    assert graphql_code(await live.graphql(VIEWER, token=tokens["id_token"])) == "UNAUTHENTICATED"
    assert (
        graphql_code(await live.graphql(VIEWER, token=tokens["refresh_token"])) == "UNAUTHENTICATED"
    )
    other = await mint_access_token(services, member.user.id, audience=rp.client_id)
    assert graphql_code(await live.graphql(VIEWER, token=other)) == "UNAUTHENTICATED"
    expired = await mint_access_token(services, member.user.id, ttl_seconds=300)
    assert graphql_code(await live.graphql(VIEWER, token=expired)) is None
    # A token with a tampered payload fails its signature.
    head, body, signature = tokens["access_token"].split(".")
    tampered = f"{head}.{body[:-2]}AA.{signature}"
    assert graphql_code(await live.graphql(VIEWER, token=tampered)) == "UNAUTHENTICATED"


async def test_a_disabled_user_or_suspended_organization_is_noticed_at_once(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    token = tokens["access_token"]
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == member.organization.id)
            .values(status=OrganizationStatus.SUSPENDED, suspended_at=utcnow())
        )
    assert graphql_code(await live.graphql(VIEWER, token=token)) == "FORBIDDEN"
    assert (await refresh(live.client, rp, tokens["refresh_token"])).status_code == 400
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == member.organization.id)
            .values(status=OrganizationStatus.ACTIVE, suspended_at=None)
        )
        await session.execute(
            update(User).where(User.id == member.user.id).values(status=UserStatus.DISABLED)
        )
    assert graphql_code(await live.graphql(VIEWER, token=token)) == "UNAUTHENTICATED"
    # A new security stamp (password reset) ends the tokens too.
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User)
            .where(User.id == member.user.id)
            .values(status=UserStatus.ACTIVE, security_stamp=User.security_stamp + 1)
        )
    assert graphql_code(await live.graphql(VIEWER, token=token)) == "UNAUTHENTICATED"


async def test_userinfo(live: LiveServer, member: Actor, rp: RegisteredClient) -> None:
    _, tokens = await full_sign_in(
        live.url, live.client, rp, member.user.email, scope="openid email"
    )
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    got = await live.client.get("/oauth/userinfo", headers=bearer)
    assert got.status_code == 200
    assert got.json() == {
        "sub": str(member.user.id),
        "email": member.user.email,
        "email_verified": True,
    }
    posted = await live.client.post(
        "/oauth/userinfo", data={"access_token": tokens["access_token"]}
    )
    assert posted.json() == got.json()
    for headers in (
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": f"Bearer {tokens['id_token']}"},
    ):
        refused = await live.client.get("/oauth/userinfo", headers=headers)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")


# A new key signs once it has been published for a reload interval (identity/keys.py).
@pytest.mark.parametrize(
    "settings_overrides",
    [{"signing_key_reload_seconds": 0.2, "signing_key_publish_seconds": 0.5}],
)
async def test_key_rotation_keeps_live_tokens_valid(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, before = await full_sign_in(live.url, live.client, rp, member.user.email)
    old_kid = (await live.client.get("/oauth/jwks")).json()["keys"][0]["kid"]
    async with services.db.unit_of_work() as session:
        new_kid = await rotate(session, bits=2048, keep_published=timedelta(minutes=20))
    await services.keys.load()  # what every process does within a minute (or on an unknown kid)
    kids = [k["kid"] for k in (await live.client.get("/oauth/jwks")).json()["keys"]]
    assert set(kids) == {old_kid, new_kid}
    # Tokens signed by the old key still work; new ones carry the new kid.
    assert graphql_code(await live.graphql(VIEWER, token=before["access_token"])) is None
    await asyncio.sleep(0.6)
    _, after = await full_sign_in(live.url, live.client, rp, member.user.email)
    import base64
    import json

    header = json.loads(base64.urlsafe_b64decode(after["id_token"].split(".")[0] + "=="))
    assert header["kid"] == new_kid
    assert graphql_code(await live.graphql(VIEWER, token=after["access_token"])) is None


async def test_a_key_taken_out_stops_its_tokens_even_ones_verified_before(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    token = tokens["access_token"]
    # Verified once (and remembered: identity/keys.py does not check the signature again).
    assert graphql_code(await live.graphql(VIEWER, token=token)) is None
    assert graphql_code(await live.graphql(VIEWER, token=token)) is None
    async with services.db.unit_of_work() as session:
        # Retired and unpublished at once, as after a leaked key.
        await rotate(session, bits=2048, keep_published=timedelta(0))
    await services.keys.load()
    assert graphql_code(await live.graphql(VIEWER, token=token)) == "UNAUTHENTICATED"


async def test_discovery_tells_the_truth(live: LiveServer) -> None:
    document = (await live.client.get("/.well-known/openid-configuration")).json()
    issuer = live.settings.issuer
    assert document["issuer"] == issuer
    assert document["response_types_supported"] == ["code"]
    assert document["response_modes_supported"] == ["query"]
    # client_credentials: for service accounts only (ordinary clients get unauthorized_client).
    assert document["grant_types_supported"] == [
        "authorization_code",
        "refresh_token",
        "client_credentials",
    ]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["authorization_response_iss_parameter_supported"] is True
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    # The OpenID scopes of the contract, then the API's (domain/authz/api_scopes.py).
    openid = ["openid", "profile", "email", "offline_access"]
    assert document["scopes_supported"] == [*openid, *(s.value for s in ApiScope)]
    assert set(document["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "none",
    }
    assert document["request_parameter_supported"] is False
    assert document["request_uri_parameter_supported"] is False
    # Every advertised endpoint exists on this issuer and answers.
    endpoints = {
        name: document[name]
        for name in (
            "authorization_endpoint",
            "token_endpoint",
            "userinfo_endpoint",
            "jwks_uri",
            "revocation_endpoint",
            "end_session_endpoint",
        )
    }
    for name, url in endpoints.items():
        assert url.startswith(issuer + "/"), name
        path = url.removeprefix(issuer)
        method = "POST" if name in {"token_endpoint", "revocation_endpoint"} else "GET"
        response = await live.client.request(method, path)
        assert response.status_code != 404, name
    jwks = (await live.client.get(endpoints["jwks_uri"].removeprefix(issuer))).json()
    assert all(k["kty"] == "RSA" and "d" not in k and k["alg"] == "RS256" for k in jwks["keys"])
