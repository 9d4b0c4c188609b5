"""The code exchange's common case is answered without Authlib (identity/oauth/code_exchange.py),
the rest by Authlib's grant: both must give the same answer and leave the same rows.

Each case runs on two codes of the same user: one exchanged in the common shape (the fast path),
one in a shape the fast path leaves to Authlib although it means the same (oidc.client_fields).
``test_the_common_shape_takes_the_fast_path`` proves which path each shape takes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from db.models import AuthorizationCode, OAuthGrant, RefreshToken, User
from identity.oauth import paths
from identity.oauth.code_exchange import exchange_code as fast_exchange
from identity.provider import IdentityProvider
from kit.clock import utcnow
from kit.crypto import sha256_hex
from runtime import Services
from tests.factories import Actor
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    RegisteredClient,
    answer_shape,
    client_fields,
    register_client,
    sign_in,
    token_endpoint_request,
    verified_claims,
)
from tests.support.server import LiveServer

# Claims that differ between any two logins; everything else must be equal.
_PER_LOGIN = {"iat", "exp", "nbf", "jti", "sid", "auth_time", "nonce", "at_hash"}


def _form(request: AuthRequest, code: str, *, fast: bool, **overrides: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": request.client.redirect_uri,
        "code_verifier": request.verifier,
        **client_fields(request.client, fast=fast),
        **overrides,
    }


async def _exchange(
    live: LiveServer, request: AuthRequest, code: str, *, fast: bool, **overrides: str
) -> httpx.Response:
    return await live.client.post(
        paths.TOKEN,
        data=_form(request, code, fast=fast, **overrides),
        auth=request.client.auth() or httpx.USE_CLIENT_DEFAULT,
    )


async def _codes(
    live: LiveServer, client: RegisteredClient, member: Actor
) -> list[tuple[AuthRequest, str]]:
    """Two authorization requests of the same user and client, each with its code."""
    codes = []
    for _ in range(2):
        request = AuthRequest(client)
        async with Browser(live.url) as browser:
            codes.append((request, (await sign_in(browser, request, member.user.email))["code"]))
    return codes


def _half_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode("ascii")).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


async def _rows(services: Services, refresh_token: str) -> dict[str, Any]:
    """What the exchange stored: the grant and the family's first refresh token."""
    async with services.db.read_session() as session:
        token = await session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == sha256_hex(refresh_token))
        )
        assert token is not None
        grant = await session.get(OAuthGrant, token.family_id)
        assert grant is not None
        code = await session.get(AuthorizationCode, grant.authorization_code_id)
    assert code is not None and code.used_at is not None
    assert token.parent_id is None and token.authorization_code_id == code.id
    assert grant.browser_session_id == token.browser_session_id == code.browser_session_id
    assert grant.auth_time == token.auth_time == code.auth_time
    assert grant.expires_at == token.expires_at
    return {
        "client": (grant.client_id, token.client_id),
        "user": (grant.user_id, token.user_id),
        "scope": (grant.scope, token.scope),
        "amr": (grant.amr, token.amr),
        "stamp": grant.security_stamp,
        "live": grant.revoked_at is None and token.rotated_at is None and token.revoked_at is None,
    }


@pytest.mark.parametrize("public", [False, True], ids=["confidential", "public"])
async def test_both_paths_issue_the_same_tokens(
    live: LiveServer, services: Services, member: Actor, public: bool
) -> None:
    client = await register_client(services, public=public)
    (fast_request, fast_code), (slow_request, slow_code) = await _codes(live, client, member)
    fast = await _exchange(live, fast_request, fast_code, fast=True)
    slow = await _exchange(live, slow_request, slow_code, fast=False)
    assert fast.status_code == 200, fast.text
    assert slow.status_code == 200, slow.text
    assert answer_shape(fast) == answer_shape(slow)
    fast_body, slow_body = fast.json(), slow.json()
    assert list(fast_body) == ["token_type", "access_token", "expires_in", "scope",
                               "refresh_token", "id_token"]  # fmt: skip
    for key in ("token_type", "expires_in", "scope"):
        assert fast_body[key] == slow_body[key]
    claims = {}
    for name, body, request in (
        ("fast", fast_body, fast_request),
        ("slow", slow_body, slow_request),
    ):
        access = await verified_claims(live.client, body["access_token"])
        identity = await verified_claims(live.client, body["id_token"])
        header = json.loads(base64.urlsafe_b64decode(body["id_token"].split(".")[0] + "=="))
        assert header["typ"] == "JWT" and header["alg"] == "RS256"
        assert identity["nonce"] == request.nonce
        assert identity["at_hash"] == _half_hash(body["access_token"])
        assert identity["auth_time"] == access["auth_time"]
        claims[name] = tuple(
            {k: v for k, v in token.items() if k not in _PER_LOGIN}
            | {"lifetime": token["exp"] - token["iat"]}
            for token in (access, identity)
        )
    assert claims["fast"] == claims["slow"]
    assert claims["fast"][1]["aud"] == client.client_id
    assert claims["fast"][1]["email"] == member.user.email
    fast_rows = await _rows(services, fast_body["refresh_token"])
    assert fast_rows == await _rows(services, slow_body["refresh_token"])
    assert fast_rows["live"] and fast_rows["user"] == (member.user.id, member.user.id)


async def _both_refused(
    live: LiveServer, services: Services, codes: list[tuple[AuthRequest, str]], **overrides: str
) -> dict[str, Any]:
    (fast_request, fast_code), (slow_request, slow_code) = codes
    fast = await _exchange(live, fast_request, fast_code, fast=True, **overrides)
    slow = await _exchange(live, slow_request, slow_code, fast=False, **overrides)
    assert fast.status_code == 400, fast.text
    assert (answer_shape(fast), fast.json()) == (answer_shape(slow), slow.json())
    # As on Authlib's path, a refused code is spent: it cannot be tried again.
    async with services.db.read_session() as session:
        for code in (fast_code, slow_code):
            row = await session.scalar(
                select(AuthorizationCode).where(AuthorizationCode.code_hash == sha256_hex(code))
            )
            assert row is not None and row.used_at is not None
    body: dict[str, Any] = fast.json()
    return body


@pytest.mark.parametrize(
    "change", ["wrong_verifier", "other_redirect_uri", "expired", "user_disabled"]
)
async def test_a_code_that_may_not_be_redeemed_is_refused_alike(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient, change: str
) -> None:
    codes = await _codes(live, rp, member)
    overrides: dict[str, str] = {}
    if change == "wrong_verifier":
        overrides["code_verifier"] = "x" * 43
    elif change == "other_redirect_uri":
        overrides["redirect_uri"] = "http://127.0.0.1:9/elsewhere"
    elif change == "expired":
        async with services.db.unit_of_work() as session:
            await session.execute(
                update(AuthorizationCode).values(expires_at=utcnow() - timedelta(seconds=1))
            )
    else:
        async with services.db.unit_of_work() as session:
            await session.execute(
                update(User).where(User.id == member.user.id).values(status="DISABLED")
            )
    body = await _both_refused(live, services, codes, **overrides)
    assert body["error"] == "invalid_grant"
    async with services.db.read_session() as session:
        assert (await session.scalars(select(OAuthGrant))).all() == []


async def test_a_replayed_code_revokes_what_it_issued(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    """The first exchange takes the fast path; the replay finds no unused code, so Authlib's path
    decides: invalid_grant, and the grant the code started is revoked."""
    [(request, code), _] = await _codes(live, rp, member)
    first = await _exchange(live, request, code, fast=True)
    assert first.status_code == 200, first.text
    replay = await _exchange(live, request, code, fast=True)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    refresh = await live.client.post(
        paths.TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]},
        auth=rp.auth() or httpx.USE_CLIENT_DEFAULT,
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"
    assert not (await _rows(services, first.json()["refresh_token"]))["live"]


@pytest.mark.parametrize("public", [False, True], ids=["confidential", "public"])
async def test_the_common_shape_takes_the_fast_path(
    live: LiveServer, services: Services, member: Actor, public: bool
) -> None:
    client = await register_client(services, public=public)
    (request, code), (other_request, other) = await _codes(live, client, member)
    provider = IdentityProvider.build(services)
    await services.keys.load()
    declined = await fast_exchange(
        provider,
        token_endpoint_request(client),
        list(_form(other_request, other, fast=False).items()),
    )
    assert declined is None
    # Declining wrote nothing: the code still works.
    assert (await _exchange(live, other_request, other, fast=True)).status_code == 200
    # A wrong verifier is declined too, the code left for Authlib's path to spend.
    wrong = _form(request, code, fast=True, code_verifier="y" * 43)
    assert (
        await fast_exchange(provider, token_endpoint_request(client), list(wrong.items())) is None
    )
    answered = await fast_exchange(
        provider, token_endpoint_request(client), list(_form(request, code, fast=True).items())
    )
    assert answered is not None and answered.status_code == 200
    body = json.loads(bytes(answered.body))
    claims = await verified_claims(live.client, body["id_token"])
    assert claims["sub"] == str(member.user.id) and claims["nonce"] == request.nonce
