"""Expired sessions, codes and grants are removed; live ones stay."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from db.models import AuthorizationCode, BrowserSession, OAuthGrant, RefreshToken
from identity.housekeeping import purge_expired
from kit.clock import utcnow
from runtime import Services
from tests.factories import Actor
from tests.identity.oidc import (
    VIEWER,
    Browser,
    RegisteredClient,
    full_sign_in,
    refresh,
)
from tests.support.gql import graphql_code
from tests.support.html import parse_page
from tests.support.server import LiveServer


async def counts(services: Services) -> dict[str, int]:
    async with services.db.read_session() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in (BrowserSession, AuthorizationCode, OAuthGrant, RefreshToken)
        }


async def test_housekeeping_removes_only_what_expired(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, old = await full_sign_in(live.url, live.client, rp, member.user.email)
    long_ago = utcnow() - timedelta(days=40)
    async with services.db.unit_of_work() as session:
        for model in (BrowserSession, AuthorizationCode, OAuthGrant, RefreshToken):
            await session.execute(update(model).values(expires_at=long_ago))
    _, fresh = await full_sign_in(live.url, live.client, rp, member.user.email)
    before = await counts(services)
    removed = await purge_expired(services.db, services.settings)
    after = await counts(services)
    assert removed == sum(before.values()) - sum(after.values()) > 0
    # What the second sign-in made is all still there (and still works): its browser session
    # (the login form's anonymous one was a draft, never stored).
    assert after == {
        "browser_session": 1,
        "authorization_code": 1,
        "oauth_grant": 1,
        "refresh_token": 1,
    }
    assert graphql_code(await live.graphql(VIEWER, token=fresh["access_token"])) is None
    assert (await refresh(live.client, rp, fresh["refresh_token"])).status_code == 200
    # The old grant is gone, and its tokens with it.
    assert graphql_code(await live.graphql(VIEWER, token=old["access_token"])) == "UNAUTHENTICATED"
    assert (await refresh(live.client, rp, old["refresh_token"])).status_code == 400


async def test_an_idle_anonymous_session_is_purged(live: LiveServer, services: Services) -> None:
    """What a form stored for a visitor who never signed in (a failed login's flash) goes once
    it has been idle past the timeout and the grace period."""
    async with Browser(live.url) as browser:
        form = parse_page((await browser.http.get("/login")).text).form("/login")
        failed = await browser.http.post(
            "/login", data={**form.fields, "email": "nobody@example.com", "password": "wrong"}
        )
        assert failed.status_code == 303
    assert (await counts(services))["browser_session"] == 1
    settings = services.settings
    assert await purge_expired(services.db, settings) == 0  # still live: kept
    later = (
        utcnow() + timedelta(seconds=settings.session_idle_seconds) + timedelta(days=1, minutes=1)
    )
    assert await purge_expired(services.db, settings, now=later) == 1
    assert (await counts(services))["browser_session"] == 0


async def test_a_flood_of_sessions_is_drained_in_bounded_batches(services: Services) -> None:
    """More expired rows than one batch (a flood of failed form posts): a pass drains batch after
    batch until one comes back short, but never more than its bound; the next pass goes on."""
    long_ago = utcnow() - timedelta(days=40)
    async with services.db.unit_of_work() as session:
        session.add_all(
            BrowserSession(
                token_hash=secrets.token_hex(32),
                last_seen_at=long_ago,
                expires_at=long_ago,
                data={},
            )
            for _ in range(25)
        )
    settings = services.settings
    assert await purge_expired(services.db, settings, batch=4, max_batches=3) == 12  # the bound
    assert (await counts(services))["browser_session"] == 13
    assert await purge_expired(services.db, settings, batch=4, max_batches=10) == 13  # 4+4+4+1
    assert (await counts(services))["browser_session"] == 0
    assert await purge_expired(services.db, settings, batch=4, max_batches=10) == 0
