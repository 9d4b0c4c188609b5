"""The refresh grant's common case is answered without Authlib (identity/oauth/refresh.py), the
rest by Authlib's grant: both must give the same answer and leave the same rows.

Each case runs on two token families of the same user: one refreshed in the common shape (the
fast path), one in a shape the fast path leaves to Authlib although it means the same
(oidc.client_fields).
``test_the_common_shape_takes_the_fast_path`` proves which path each shape takes.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from db.models import OAuthGrant, RefreshToken, User
from identity.oauth import paths
from identity.oauth.refresh import refresh as fast_refresh
from identity.provider import IdentityProvider
from kit.clock import utcnow
from kit.crypto import sha256_hex
from runtime import Services
from tests.factories import Actor
from tests.identity.oidc import (
    RegisteredClient,
    answer_shape,
    client_fields,
    full_sign_in,
    register_client,
    token_endpoint_request,
    verified_claims,
)
from tests.support.server import LiveServer

# Claims that differ between any two tokens or families; everything else must be equal.
_PER_TOKEN = {"iat", "exp", "nbf", "jti", "sid", "auth_time"}


def _form(client: RegisteredClient, token: str, *, fast: bool) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "refresh_token": token,
        **client_fields(client, fast=fast),
    }


async def _refresh(
    live: LiveServer, client: RegisteredClient, token: str, *, fast: bool
) -> httpx.Response:
    return await live.client.post(
        paths.TOKEN,
        data=_form(client, token, fast=fast),
        auth=client.auth() or httpx.USE_CLIENT_DEFAULT,
    )


async def _families(live: LiveServer, client: RegisteredClient, member: Actor) -> tuple[str, str]:
    """Two refresh tokens of two families of the same user and client."""
    _, one = await full_sign_in(live.url, live.client, client, member.user.email)
    _, two = await full_sign_in(live.url, live.client, client, member.user.email)
    return one["refresh_token"], two["refresh_token"]


async def _row(services: Services, token: str) -> RefreshToken:
    async with services.db.read_session() as session:
        row = await session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == sha256_hex(token))
        )
    assert row is not None
    return row


def _shape(row: RefreshToken, parent: RefreshToken) -> dict[str, Any]:
    """What a rotated-in token must carry over from its parent (the same on both paths)."""
    assert row.family_id == parent.family_id and row.parent_id == parent.id
    return {
        "scope": row.scope,
        "client_id": row.client_id,
        "user_id": row.user_id,
        "auth_time_is_parents": row.auth_time == parent.auth_time,
        "amr": row.amr,
        "expires_at_is_parents": row.expires_at == parent.expires_at,
        "browser_session_is_parents": row.browser_session_id == parent.browser_session_id,
        "authorization_code_id": row.authorization_code_id,
        "live": row.rotated_at is None and row.revoked_at is None,
    }


@pytest.mark.parametrize("public", [False, True], ids=["confidential", "public"])
async def test_both_paths_issue_the_same_tokens(
    live: LiveServer, services: Services, member: Actor, public: bool
) -> None:
    client = await register_client(services, public=public)
    fast_token, authlib_token = await _families(live, client, member)
    fast = await _refresh(live, client, fast_token, fast=True)
    slow = await _refresh(live, client, authlib_token, fast=False)
    assert fast.status_code == 200, fast.text
    assert slow.status_code == 200, slow.text
    assert answer_shape(fast) == answer_shape(slow)
    fast_body, slow_body = fast.json(), slow.json()
    for key in ("token_type", "expires_in", "scope"):
        assert fast_body[key] == slow_body[key]
    fast_claims = await verified_claims(live.client, fast_body["access_token"])
    slow_claims = await verified_claims(live.client, slow_body["access_token"])
    assert {k: v for k, v in fast_claims.items() if k not in _PER_TOKEN} == {
        k: v for k, v in slow_claims.items() if k not in _PER_TOKEN
    }
    fast_row, slow_row = (
        await _row(services, fast_body["refresh_token"]),
        await _row(services, slow_body["refresh_token"]),
    )
    for claims, row in ((fast_claims, fast_row), (slow_claims, slow_row)):
        assert claims["sid"] == str(row.family_id)
        assert claims["auth_time"] == int(row.auth_time.timestamp())
    assert _shape(fast_row, await _row(services, fast_token)) == _shape(
        slow_row, await _row(services, authlib_token)
    )
    # The chains go on, each on the other path too.
    assert (await _refresh(live, client, fast_body["refresh_token"], fast=False)).status_code == 200
    assert (await _refresh(live, client, slow_body["refresh_token"], fast=True)).status_code == 200


async def _both_refused(
    live: LiveServer, client: RegisteredClient, fast_token: str, authlib_token: str
) -> dict[str, Any]:
    fast = await _refresh(live, client, fast_token, fast=True)
    slow = await _refresh(live, client, authlib_token, fast=False)
    assert fast.status_code == 400, fast.text
    assert (answer_shape(fast), fast.json()) == (answer_shape(slow), slow.json())
    body: dict[str, Any] = fast.json()
    return body


async def _family_revoked(services: Services, token: str) -> bool:
    async with services.db.read_session() as session:
        family = await session.scalar(
            select(RefreshToken.family_id).where(RefreshToken.token_hash == sha256_hex(token))
        )
        grant = await session.get(OAuthGrant, family)
        tokens = (
            await session.scalars(select(RefreshToken).where(RefreshToken.family_id == family))
        ).all()
    assert grant is not None
    return grant.revoked_at is not None and all(t.revoked_at is not None for t in tokens)


async def test_an_expired_family_is_refused_alike(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    fast_token, authlib_token = await _families(live, rp, member)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(RefreshToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert await _both_refused(live, rp, fast_token, authlib_token) == {"error": "invalid_grant"}
    for token in (fast_token, authlib_token):
        assert (await _row(services, token)).rotated_at is not None


@pytest.mark.parametrize("change", ["password_changed", "grant_revoked", "disabled"])
async def test_a_user_or_grant_that_may_no_longer_refresh_ends_the_family_alike(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient, change: str
) -> None:
    fast_token, authlib_token = await _families(live, rp, member)
    async with services.db.unit_of_work() as session:
        if change == "password_changed":
            await session.execute(
                update(User)
                .where(User.id == member.user.id)
                .values(security_stamp=User.security_stamp + 1)
            )
        elif change == "grant_revoked":
            await session.execute(update(OAuthGrant).values(revoked_at=utcnow()))
        else:
            await session.execute(
                update(User).where(User.id == member.user.id).values(status="DISABLED")
            )
    body = await _both_refused(live, rp, fast_token, authlib_token)
    assert body == {
        "error": "invalid_grant",
        "error_description": "The refresh token is no longer valid.",
    }
    assert await _family_revoked(services, fast_token)
    assert await _family_revoked(services, authlib_token)


async def test_what_the_fast_path_leaves_to_authlib_is_still_answered(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    """A reused token (no live row: the fast path writes nothing and Authlib decides), a
    narrowed scope, and client errors."""
    token, _ = await _families(live, rp, member)
    rotated = await _refresh(live, rp, token, fast=True)
    assert rotated.status_code == 200
    # Outside the grace window a reuse revokes the family (Authlib's path).
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == sha256_hex(token))
            .values(rotated_at=utcnow() - timedelta(minutes=5))
        )
    reused = await _refresh(live, rp, token, fast=True)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    assert await _family_revoked(services, token)

    token, _ = await _families(live, rp, member)
    narrowed = await live.client.post(
        paths.TOKEN,
        data={
            "grant_type": "refresh_token",
            "refresh_token": token,
            "scope": "openid offline_access",
        },
        auth=rp.auth() or httpx.USE_CLIENT_DEFAULT,
    )
    assert narrowed.status_code == 200 and narrowed.json()["scope"] == "openid offline_access"

    assert rp.client_secret is not None
    wrong = await live.client.post(
        paths.TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": narrowed.json()["refresh_token"]},
        auth=httpx.BasicAuth(rp.client_id, "wrong"),
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    unknown = await live.client.post(
        paths.TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": "x" * 43},
        auth=rp.auth() or httpx.USE_CLIENT_DEFAULT,
    )
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("public", [False, True], ids=["confidential", "public"])
async def test_the_common_shape_takes_the_fast_path(
    live: LiveServer, services: Services, member: Actor, public: bool
) -> None:
    client = await register_client(services, public=public)
    token, other = await _families(live, client, member)
    provider = IdentityProvider.build(services)
    await services.keys.load()
    declined = await fast_refresh(
        provider, token_endpoint_request(client), list(_form(client, other, fast=False).items())
    )
    assert declined is None
    # Declining wrote nothing: the token still works.
    assert (await _refresh(live, client, other, fast=True)).status_code == 200
    answered = await fast_refresh(
        provider, token_endpoint_request(client), list(_form(client, token, fast=True).items())
    )
    assert answered is not None and answered.status_code == 200
    claims = await verified_claims(live.client, json.loads(bytes(answered.body))["access_token"])
    assert claims["sub"] == str(member.user.id)
