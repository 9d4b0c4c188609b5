"""PORTAL_REFRESH_REUSE_GRACE_SECONDS: a refresh token presented again by the same client shortly
after its rotation (a lost response, a retry, a second tab) gets a new pair of the same family and
revokes nothing; the family keeps one live token. Outside the window, by another client, or once
revoked for another reason, it is refused (and reuse revokes the family) as without grace."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from db.models import OAuthGrant, RefreshToken
from kit.clock import utcnow
from kit.crypto import sha256_hex
from runtime import Services
from tests.factories import Actor
from tests.identity.oidc import (
    VIEWER,
    RegisteredClient,
    full_sign_in,
    refresh,
    register_client,
)
from tests.support.gql import graphql_code
from tests.support.server import LiveServer


def oauth_error(response: httpx.Response) -> str:
    error: str = response.json()["error"]
    return error


async def family_state(services: Services) -> tuple[int, int, int]:
    """(grants, live refresh tokens, revoked refresh tokens or grants)."""
    async with services.db.read_session() as session:
        grants = await session.scalar(select(func.count()).select_from(OAuthGrant))
        live = await session.scalar(
            select(func.count())
            .select_from(RefreshToken)
            .where(RefreshToken.rotated_at.is_(None), RefreshToken.revoked_at.is_(None))
        )
        revoked = await session.scalar(
            select(func.count())
            .select_from(RefreshToken)
            .where(RefreshToken.revoked_at.is_not(None))
        )
        revoked_grants = await session.scalar(
            select(func.count()).select_from(OAuthGrant).where(OAuthGrant.revoked_at.is_not(None))
        )
    return grants or 0, live or 0, (revoked or 0) + (revoked_grants or 0)


async def test_a_retried_refresh_gets_a_pair_and_keeps_the_family(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    assert live.settings.refresh_reuse_grace_seconds == 30
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    first = tokens["refresh_token"]
    lost = await refresh(live.client, rp, first)  # the response the client never saw
    assert lost.status_code == 200, lost.text

    retried = await refresh(live.client, rp, first)
    assert retried.status_code == 200, retried.text
    pair = retried.json()
    assert pair["refresh_token"] not in (first, lost.json()["refresh_token"])
    assert graphql_code(await live.graphql(VIEWER, token=pair["access_token"])) is None
    assert await family_state(services) == (1, 1, 0)

    # The token the lost response carried was rotated out by the reissue, not revoked: within
    # the window it too gets a pair (the other tab of the same race).
    other_tab = await refresh(live.client, rp, lost.json()["refresh_token"])
    assert other_tab.status_code == 200, other_tab.text
    assert await family_state(services) == (1, 1, 0)

    # The chain goes on from the newest token.
    newest = await refresh(live.client, rp, other_tab.json()["refresh_token"])
    assert newest.status_code == 200, newest.text
    assert await family_state(services) == (1, 1, 0)

    # Outside the window the first token is reuse again: the whole family ends.
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == sha256_hex(first))
            .values(rotated_at=utcnow() - timedelta(seconds=31))
        )
    assert oauth_error(await refresh(live.client, rp, first)) == "invalid_grant"
    assert oauth_error(await refresh(live.client, rp, newest.json()["refresh_token"])) == (
        "invalid_grant"
    )
    assert graphql_code(await live.graphql(VIEWER, token=pair["access_token"])) == (
        "UNAUTHENTICATED"
    )
    grants, live_tokens, _ = await family_state(services)
    assert (grants, live_tokens) == (1, 0)


async def test_ten_concurrent_presentations_of_one_token(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    answers = await asyncio.gather(
        *(refresh(live.client, rp, tokens["refresh_token"]) for _ in range(10))
    )
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    issued = {a.json()["refresh_token"] for a in answers}
    assert len(issued) == 10
    # One family, one live token, nothing revoked.
    assert await family_state(services) == (1, 1, 0)
    # Every answer was a working pair; the newest of them carries the chain on.
    for answer in answers:
        body = await live.graphql(VIEWER, token=answer.json()["access_token"])
        assert graphql_code(body) is None
    async with services.db.read_session() as session:
        live_hash = await session.scalar(
            select(RefreshToken.token_hash).where(
                RefreshToken.rotated_at.is_(None), RefreshToken.revoked_at.is_(None)
            )
        )
    (newest,) = [t for t in issued if sha256_hex(t) == live_hash]
    assert (await refresh(live.client, rp, newest)).status_code == 200
    assert await family_state(services) == (1, 1, 0)


async def test_no_grace_for_another_client_or_a_revoked_token(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    first = tokens["refresh_token"]
    second = (await refresh(live.client, rp, first)).json()["refresh_token"]

    # Another client presenting it: refused, and it revokes nothing either way.
    other = await register_client(services)
    assert oauth_error(await refresh(live.client, other, first)) == "invalid_grant"
    assert await family_state(services) == (1, 1, 0)

    # Revoked (RFC 7009, as a logout does): the previous token gets nothing within the window.
    auth = rp.auth()
    assert auth is not None
    revoked = await live.client.post("/oauth/revoke", data={"token": second}, auth=auth)
    assert revoked.status_code == 200
    assert oauth_error(await refresh(live.client, rp, first)) == "invalid_grant"
    assert oauth_error(await refresh(live.client, rp, second)) == "invalid_grant"
    grants, live_tokens, _ = await family_state(services)
    assert (grants, live_tokens) == (1, 0)
