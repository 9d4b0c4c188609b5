"""A password reset signs the account out everywhere: refresh tokens and grants revoked, access
tokens refused by GraphQL before their ``exp``, browser sessions ended; the new password signs
in, the old one no longer does."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AuditEvent, BrowserSession, OAuthGrant, RefreshToken
from runtime import Services
from tests.accounts.journeys import outbox_mails
from tests.accounts.reset_support import NEW_PASSWORD, request_reset, reset, reset_token
from tests.factories import DEFAULT_PASSWORD, Actor
from tests.identity.oidc import (
    VIEWER,
    AuthRequest,
    Browser,
    RegisteredClient,
    exchange_code,
    full_sign_in,
    refresh,
    sign_in,
)
from tests.support.gql import graphql_code
from tests.support.html import parse_page
from tests.support.server import LiveServer


async def test_a_reset_ends_every_session_and_token_of_the_account(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    email = member.user.email
    async with Browser(live.url) as browser, Browser(live.url) as other_device:
        _, tokens = await full_sign_in(live.url, live.client, rp, email, browser=browser)
        _, elsewhere = await full_sign_in(live.url, live.client, rp, email, browser=other_device)
        assert graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) is None
        signed_in = await browser.http.get("/login")  # signed in: on to the web console
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"

        await request_reset(live, email)
        (mail,) = await outbox_mails(live, email)
        assert (await reset(live, reset_token(mail)))["reset"] is True

        # Access tokens die at once, not at their exp.
        for access in (tokens["access_token"], elsewhere["access_token"]):
            assert graphql_code(await live.graphql(VIEWER, token=access)) == "UNAUTHENTICATED"
        # Refresh tokens are refused.
        for old in (tokens["refresh_token"], elsewhere["refresh_token"]):
            refused = await refresh(live.client, rp, old)
            assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
        # The browser session is over: the login page asks for credentials again.
        page = parse_page((await browser.http.get("/login")).text)
        assert page.form("/login").button_labels() == ["Login"]

        # The old password no longer signs in; the new one does, and its tokens work.
        wrong = await browser.login(
            await browser.navigate("GET", "/login"), email, DEFAULT_PASSWORD
        )
        assert "The email or password is incorrect." in wrong.text
        request = AuthRequest(rp)
        params = await sign_in(other_device, request, email, NEW_PASSWORD)
        fresh = await exchange_code(live.client, request, params["code"])
        assert fresh.status_code == 200, fresh.text
        assert graphql_code(await live.graphql(VIEWER, token=fresh.json()["access_token"])) is None

    async with services.db.read_session() as session:
        grants = list(
            await session.scalars(select(OAuthGrant).where(OAuthGrant.user_id == member.user.id))
        )
        old_grants = [g for g in grants if g.created_at < grants[-1].created_at]
        assert len(old_grants) == 2 and all(g.revoked_at is not None for g in old_grants)
        assert grants[-1].revoked_at is None
        live_tokens = await session.scalars(
            select(RefreshToken).where(
                RefreshToken.user_id == member.user.id, RefreshToken.revoked_at.is_(None)
            )
        )
        assert {t.family_id for t in live_tokens} == {grants[-1].id}
        sessions = list(
            await session.scalars(
                select(BrowserSession).where(BrowserSession.user_id == member.user.id)
            )
        )
        assert sum(s.ended_at is None for s in sessions) == 1  # the one just signed in
        (event,) = await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.password_reset")
        )
    assert event.details["grants_revoked"] == 2
    assert event.details["browser_sessions_ended"] == 2
    assert event.details["refresh_tokens_revoked"] >= 2
