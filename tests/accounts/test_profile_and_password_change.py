"""``updateProfile`` and ``changePassword``: the viewer's own names and password over HTTP."""

from __future__ import annotations

from runtime import Services
from tests.accounts.journeys import outbox_mails
from tests.console.support import customer
from tests.factories import DEFAULT_PASSWORD
from tests.members.support import audit_count
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
    # Sessions and tokens end as a reset's do (tests/console/test_account_console.py signs in
    # twice through the provider and sees both end).
    assert await audit_count(services, "account.password_changed") == 1
    mails = await outbox_mails(live, actor.user.email)
    assert [m.template for m in mails][-1] == "password_changed"
