"""The token endpoint: single-use codes kept as tombstones, PKCE proof, client authentication,
rotating refresh tokens with family revocation, and RFC 7009 revocation."""

from __future__ import annotations

import base64
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from db.models import AuthorizationCode, OAuthGrant, RefreshToken, User
from domain.enums import UserStatus
from kit.clock import utcnow
from kit.crypto import sha256_hex
from runtime import Services
from tests.factories import Actor
from tests.identity.oidc import (
    VIEWER,
    AuthRequest,
    Browser,
    RegisteredClient,
    exchange_code,
    full_sign_in,
    refresh,
    register_client,
    sign_in,
)
from tests.support.gql import graphql_code
from tests.support.server import LiveServer


async def code_for(live: LiveServer, actor: Actor, rp: RegisteredClient) -> tuple[AuthRequest, str]:
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        params = await sign_in(browser, request, actor.user.email)
    return request, params["code"]


def oauth_error(response: httpx.Response) -> str:
    assert response.status_code in {400, 401}, response.text
    assert response.headers["cache-control"] == "no-store"
    error: str = response.json()["error"]
    return error


async def test_codes_are_stored_hashed_and_single_use(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    request, code = await code_for(live, member, rp)
    async with services.db.read_session() as session:
        stored = (await session.scalars(select(AuthorizationCode.code_hash))).all()
    assert stored == [sha256_hex(code)]

    first = await exchange_code(live.client, request, code)
    assert first.status_code == 200, first.text
    tokens = first.json()
    assert first.headers["cache-control"] == "no-store"
    assert graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) is None

    # The replay fails and revokes everything the code issued.
    assert oauth_error(await exchange_code(live.client, request, code)) == "invalid_grant"
    assert oauth_error(await refresh(live.client, rp, tokens["refresh_token"])) == "invalid_grant"
    refused = await live.graphql(VIEWER, token=tokens["access_token"])
    assert graphql_code(refused) == "UNAUTHENTICATED"
    async with services.db.read_session() as session:
        used = await session.scalar(select(AuthorizationCode.used_at))
        revoked = await session.scalar(select(OAuthGrant.revoked_at))
    assert used is not None and revoked is not None


async def test_an_expired_code_is_refused(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    assert live.settings.authorization_code_ttl_seconds == 60
    request, code = await code_for(live, member, rp)
    async with services.db.read_session() as session:
        row = await session.scalar(select(AuthorizationCode))
    assert row is not None
    lifetime = row.expires_at - row.created_at
    assert timedelta(seconds=59) <= lifetime <= timedelta(seconds=61)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(AuthorizationCode).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert oauth_error(await exchange_code(live.client, request, code)) == "invalid_grant"


async def test_the_code_needs_its_verifier_redirect_uri_and_client(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    other = await register_client(services)
    cases = [
        ({"code_verifier": "x" * 50}, "invalid_grant"),
        ({"code_verifier": ""}, "invalid_request"),
        ({"redirect_uri": rp.redirect_uri + "x"}, "invalid_grant"),
    ]
    for overrides, error in cases:
        request, code = await code_for(live, member, rp)
        assert oauth_error(await exchange_code(live.client, request, code, **overrides)) == error
        # A failed attempt burns the code: the right verifier does not help afterwards.
        assert oauth_error(await exchange_code(live.client, request, code)) == "invalid_grant"
    request, code = await code_for(live, member, rp)
    stolen = AuthRequest(other, verifier=request.verifier, challenge=request.challenge)
    assert oauth_error(await exchange_code(live.client, stolen, code)) == "invalid_grant"


async def test_client_authentication(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    # client_secret_post works as well as client_secret_basic.
    request, code = await code_for(live, member, rp)
    assert rp.client_secret is not None
    posted = await live.client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": rp.redirect_uri,
            "code_verifier": request.verifier,
            "client_id": rp.client_id,
            "client_secret": rp.client_secret,
        },
    )
    assert posted.status_code == 200, posted.text

    # A wrong secret, or a confidential client pretending to be public, is refused.
    request, code = await code_for(live, member, rp)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": rp.redirect_uri,
        "code_verifier": request.verifier,
    }
    wrong = await live.client.post(
        "/oauth/token", data=data, auth=httpx.BasicAuth(rp.client_id, "wrong")
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    as_public = await live.client.post("/oauth/token", data={**data, "client_id": rp.client_id})
    assert oauth_error(as_public) == "invalid_client"

    # A public client authenticates with its id alone (PKCE is its proof).
    public = await register_client(services, public=True)
    request, code = await code_for(live, member, public)
    answer = await exchange_code(live.client, request, code)
    assert answer.status_code == 200, answer.text


async def test_unreadable_basic_credentials_are_an_invalid_client(live: LiveServer) -> None:
    """Basic credentials that are base64 but not UTF-8 (a client sending Latin-1) get RFC 6749's
    401 invalid_client, not a 500, at the token and the revocation endpoints."""
    for value in (b"\xff\xfe:secret", b"client:\xe9t\xe9"):
        for header in (base64.b64encode(value).decode(), base64.b64encode(value).decode() + "!"):
            for path, form in (
                ("/oauth/token", {"grant_type": "authorization_code", "code": "x"}),
                ("/oauth/revoke", {"token": "x"}),
            ):
                answer = await live.client.post(
                    path, data=form, headers={"Authorization": f"Basic {header}"}
                )
                assert answer.status_code == 401, (path, answer.text)
                assert answer.json()["error"] == "invalid_client"
                assert answer.headers["www-authenticate"] == "Basic"
                assert answer.headers["cache-control"] == "no-store"


async def test_only_the_two_grants_exist(live: LiveServer, rp: RegisteredClient) -> None:
    assert rp.client_secret is not None
    auth = httpx.BasicAuth(rp.client_id, rp.client_secret)
    for grant_type in ("password", "implicit", "urn:x"):
        response = await live.client.post(
            "/oauth/token",
            data={"grant_type": grant_type, "username": "a", "password": "b"},
            auth=auth,
        )
        assert oauth_error(response) == "unsupported_grant_type"
    # client_credentials exists for service accounts alone (tests/service_accounts/).
    response = await live.client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=auth
    )
    assert oauth_error(response) == "unauthorized_client"
    assert (await live.client.get("/oauth/token")).status_code == 405
    # No grant_type at all (or not a form body) is a malformed request (RFC 6749 §5.2).
    for body in ({"data": {"code": "x"}}, {"json": {"grant_type": "authorization_code"}}):
        missing = await live.client.post("/oauth/token", auth=auth, **body)  # type: ignore[arg-type]
        assert missing.status_code == 400 and oauth_error(missing) == "invalid_request"
        assert missing.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("settings_overrides", [{"refresh_reuse_grace_seconds": 0}])
async def test_refresh_tokens_rotate_and_reuse_revokes_the_family(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    first = tokens["refresh_token"]
    rotated = await refresh(live.client, rp, first)
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refresh_token"] != first
    assert "id_token" not in second  # optional on refresh (OIDC Core §12.2)
    newest = (await refresh(live.client, rp, second["refresh_token"])).json()

    # The first token again: reuse. The whole family dies, the newest token and every access
    # token with it.
    assert oauth_error(await refresh(live.client, rp, first)) == "invalid_grant"
    assert oauth_error(await refresh(live.client, rp, newest["refresh_token"])) == "invalid_grant"
    for access_token in (tokens["access_token"], newest["access_token"]):
        body = await live.graphql(VIEWER, token=access_token)
        assert graphql_code(body) == "UNAUTHENTICATED"
    async with services.db.read_session() as session:
        live_tokens = await session.scalar(
            select(func.count()).select_from(RefreshToken).where(RefreshToken.revoked_at.is_(None))
        )
        hashes = (await session.scalars(select(RefreshToken.token_hash))).all()
    assert live_tokens == 0
    assert sha256_hex(first) in hashes and first not in hashes


async def test_refresh_family_has_an_absolute_end_and_follows_the_user(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    async with services.db.read_session() as session:
        grant = await session.scalar(select(OAuthGrant))
    assert grant is not None
    lifetime = grant.expires_at - grant.created_at
    assert abs(lifetime - timedelta(seconds=live.settings.refresh_token_ttl_seconds)) < timedelta(
        seconds=5
    )
    assert live.settings.refresh_token_ttl_seconds <= 30 * 24 * 3600
    # Rotation keeps the family's end.
    rotated = (await refresh(live.client, rp, tokens["refresh_token"])).json()
    async with services.db.read_session() as session:
        ends = set((await session.scalars(select(RefreshToken.expires_at))).all())
    assert ends == {grant.expires_at}
    async with services.db.unit_of_work() as session:
        await session.execute(update(OAuthGrant).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert oauth_error(await refresh(live.client, rp, rotated["refresh_token"])) == "invalid_grant"

    # A disabled user's refresh tokens stop working at once.
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User).where(User.id == member.user.id).values(status=UserStatus.DISABLED)
        )
    assert oauth_error(await refresh(live.client, rp, tokens["refresh_token"])) == "invalid_grant"


async def test_refresh_can_narrow_the_scope_not_widen_it(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(
        live.url, live.client, rp, member.user.email, scope="openid email offline_access"
    )
    wider = await live.client.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "scope": "openid email profile offline_access",
        },
        auth=rp.auth() or httpx.USE_CLIENT_DEFAULT,
    )
    assert oauth_error(wider) == "invalid_scope"


async def test_revocation(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    assert rp.client_secret is not None
    auth = httpx.BasicAuth(rp.client_id, rp.client_secret)

    async def revoke(token: str, **extra: str) -> httpx.Response:
        return await live.client.post("/oauth/revoke", data={"token": token, **extra}, auth=auth)

    # A refresh token: the family and its access tokens.
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    assert (
        await revoke(tokens["refresh_token"], token_type_hint="refresh_token")
    ).status_code == 200
    assert oauth_error(await refresh(live.client, rp, tokens["refresh_token"])) == "invalid_grant"
    assert (
        graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) == "UNAUTHENTICATED"
    )

    # An access token (whatever the hint says): GraphQL refuses it at once, the refresh token too.
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    assert graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) is None
    assert (
        await revoke(tokens["access_token"], token_type_hint="refresh_token")
    ).status_code == 200
    assert (
        graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) == "UNAUTHENTICATED"
    )
    assert oauth_error(await refresh(live.client, rp, tokens["refresh_token"])) == "invalid_grant"
    userinfo = await live.client.get(
        "/oauth/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert userinfo.status_code == 401

    # Unknown tokens: 200 and nothing happens (RFC 7009 §2.2).
    assert (await revoke("not-a-token")).status_code == 200
    # A hint we do not know is ignored (it would only order the search, §2.1), not a 401.
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    assert (await revoke(tokens["refresh_token"], token_type_hint="id_token")).status_code == 200
    assert oauth_error(await refresh(live.client, rp, tokens["refresh_token"])) == "invalid_grant"
    assert (await revoke("not-a-token", token_type_hint="bogus")).status_code == 200
    missing = await live.client.post("/oauth/revoke", data={}, auth=auth)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    # Another client's token is not this client's to revoke.
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    other = await register_client(services)
    assert other.client_secret is not None
    foreign = await live.client.post(
        "/oauth/revoke",
        data={"token": tokens["refresh_token"]},
        auth=httpx.BasicAuth(other.client_id, other.client_secret),
    )
    assert foreign.status_code == 400
    assert (await refresh(live.client, rp, tokens["refresh_token"])).status_code == 200
    # Without client authentication: refused.
    anonymous = await live.client.post("/oauth/revoke", data={"token": tokens["access_token"]})
    assert anonymous.status_code in {400, 401}
