"""``updateProfile`` and ``changePassword``: the viewer's own names and password over HTTP."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.models import AuditEvent, RefreshToken
from runtime import Services
from tests.accounts.journeys import outbox_mails
from tests.console.support import customer
from tests.factories import DEFAULT_PASSWORD, Actor
from tests.identity.oidc import Browser, RegisteredClient, full_sign_in, refresh
from tests.members.support import audit_count
from tests.support.gql import graphql_code
from tests.support.html import parse_page
from tests.support.server import LiveServer

PROFILE = """
mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { firstName lastName displayName } userErrors { code field } }
}
"""
CHANGE = """
mutation($input: ChangePasswordInput!) {
  changePassword(input: $input) { changed userErrors { code field } }
}
"""
VIEWER = "query { viewer { user { displayName } } }"
NEW_PASSWORD = "an entirely different passphrase 2026"


async def test_the_viewer_names_themselves(live: LiveServer, services: Services) -> None:
    actor = await customer(services)
    body = await live.graphql(
        PROFILE, {"input": {"firstName": "  Ada ", "lastName": "Lovelace"}}, headers=actor.headers
    )
    assert body["data"]["updateProfile"] == {
        "user": {"firstName": "Ada", "lastName": "Lovelace", "displayName": "Ada Lovelace"},
        "userErrors": [],
    }
    # A field left out stays; a refused one changes nothing.
    body = await live.graphql(PROFILE, {"input": {"lastName": "x" * 101}}, headers=actor.headers)
    assert body["data"]["updateProfile"]["userErrors"] == [
        {"code": "TOO_LONG", "field": ["input", "lastName"]}
    ]
    body = await live.graphql(VIEWER, {}, headers=actor.headers)
    assert body["data"]["viewer"]["user"]["displayName"] == "Ada Lovelace"
    assert await audit_count(services, "account.profile_updated") == 1


async def test_changing_the_password_asks_for_it_and_ends_every_session(
    live: LiveServer, services: Services
) -> None:
    actor = await customer(services)
    wrong = await live.graphql(
        CHANGE,
        {"input": {"currentPassword": "not it at all", "newPassword": NEW_PASSWORD}},
        headers=actor.headers,
    )
    assert wrong["data"]["changePassword"] == {
        "changed": False,
        "userErrors": [{"code": "INVALID_PASSWORD", "field": ["input", "currentPassword"]}],
    }
    assert await audit_count(services, "account.password_change_failed") == 1
    weak = await live.graphql(
        CHANGE,
        {"input": {"currentPassword": DEFAULT_PASSWORD, "newPassword": "short"}},
        headers=actor.headers,
    )
    (problem,) = weak["data"]["changePassword"]["userErrors"]
    assert problem["field"] == ["input", "newPassword"]

    done = await live.graphql(
        CHANGE,
        {"input": {"currentPassword": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}},
        headers=actor.headers,
    )
    assert done["data"]["changePassword"] == {"changed": True, "userErrors": []}
    # A token of no session (minted here): every session of the account ends, as a reset's do
    # (the next test keeps the caller's own).
    assert await audit_count(services, "account.password_changed") == 1
    mails = await outbox_mails(live, actor.user.email)
    assert [m.template for m in mails][-1] == "password_changed"


SESSIONS = "query { viewer { sessions { id current } } }"


async def test_changing_the_password_ends_the_other_sessions_and_keeps_the_callers(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    email = member.user.email
    async with Browser(live.url) as here, Browser(live.url) as elsewhere:
        _, mine = await full_sign_in(live.url, live.client, rp, email, browser=here)
        _, other = await full_sign_in(live.url, live.client, rp, email, browser=elsewhere)
        sessions = await live.graphql(SESSIONS, token=mine["access_token"])
        assert len(sessions["data"]["viewer"]["sessions"]) == 2

        # The current password is required (and a wrong one changes nothing).
        wrong = await live.graphql(
            CHANGE,
            {"input": {"currentPassword": "not the password", "newPassword": NEW_PASSWORD}},
            token=mine["access_token"],
        )
        assert wrong["data"]["changePassword"]["changed"] is False
        assert graphql_code(await live.graphql(VIEWER, token=other["access_token"])) is None

        done = await live.graphql(
            CHANGE,
            {"input": {"currentPassword": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}},
            token=mine["access_token"],
        )
        assert done["data"]["changePassword"] == {"changed": True, "userErrors": []}

        # Both access tokens carry the old security stamp: refused at once.
        for access in (mine["access_token"], other["access_token"]):
            assert graphql_code(await live.graphql(VIEWER, token=access)) == "UNAUTHENTICATED"
        # The other session's refresh token is revoked; the caller's gets a new pair.
        refused = await refresh(live.client, rp, other["refresh_token"])
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
        renewed = await refresh(live.client, rp, mine["refresh_token"])
        assert renewed.status_code == 200, renewed.text
        fresh = renewed.json()["access_token"]
        (left,) = (await live.graphql(SESSIONS, token=fresh))["data"]["viewer"]["sessions"]
        assert left["current"] is True
        # The caller's browser is still signed in at the provider; the other one is not.
        kept = await here.http.get("/login")
        assert kept.status_code == 303 and kept.headers["location"] == "/"
        page = parse_page((await elsewhere.http.get("/login")).text)
        assert page.form("/login").button_labels() == ["Login"]

    async with services.db.read_session() as session:
        live_families = set(
            await session.scalars(
                select(RefreshToken.family_id).where(
                    RefreshToken.user_id == member.user.id, RefreshToken.revoked_at.is_(None)
                )
            )
        )
        (event,) = await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.password_changed")
        )
    assert live_families == {uuid.UUID(left["id"])}
    assert event.details["grants_revoked"] == 1
    assert event.details["browser_sessions_ended"] == 1
    assert event.details["kept_grant"] == left["id"]
    mails = await outbox_mails(live, email)
    assert [m.template for m in mails][-1] == "password_changed"
