"""Security finding 1: a third-party application gets what the user consented to, nothing more.

A client made with ``create-client --third-party`` and consented for ``openid`` only used to
receive an access token that read members and ran ``inviteMember(role: ADMIN)`` — for 30 days with
``offline_access``. Now its tokens carry only the consented scopes, GraphQL checks each field's
scope (schema/scopes.py), a refresh cannot widen them, and the consent page lists exactly them.
"""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
from sqlalchemy import select

from db.models import OAuthClient
from domain.authz.api_scopes import FIRST_PARTY_ONLY, ApiScope
from identity.oauth import paths
from identity.oauth.clients import SUPPORTED_SCOPES
from identity.pages.consent import SCOPE_DESCRIPTIONS
from runtime import Services
from tests.factories import Actor, unique_email
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
    full_sign_in,
    register_client,
)
from tests.support.html import parse_page
from tests.support.server import LiveServer

MEMBERS = "query($org: ID) { members(organizationId: $org) { edges { node { user { email } } } } }"
INVITE_ADMIN = """
mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitation { id } userErrors { code } }
}
"""


def _errors(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


async def _members(live: LiveServer, member: Actor, token: str) -> dict[str, Any]:
    return await live.graphql(MEMBERS, {"org": str(member.organization.id)}, token=token)


async def _invite_admin(live: LiveServer, member: Actor, token: str) -> dict[str, Any]:
    variables = {
        "input": {
            "organizationId": str(member.organization.id),
            "email": unique_email("finding1"),
            "role": "ADMIN",
        }
    }
    return await live.graphql(INVITE_ADMIN, variables, token=token)


async def _consented_tokens(
    live: LiveServer, browser: Browser, request: AuthRequest, email: str | None
) -> tuple[list[str], dict[str, Any]]:
    """Log in (when ``email`` is given), allow on the consent page, exchange the code: (what the
    consent page listed, the token response)."""
    page = await browser.navigate("GET", request.url())
    if email is not None:
        page = await browser.login(page, email)
    assert page.status_code == 200, page.text
    consent = parse_page(page.text)
    (scopes,) = re.findall(r'<ul class="scopes">(.*?)</ul>', page.text, flags=re.S)
    listed = [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", scopes, flags=re.S)]
    allowed = await browser.submit(consent, "/consent", {"decision": "allow"})
    code = callback_params(allowed, request.client.redirect_uri)["code"]
    response = await exchange_code(live.client, request, code)
    assert response.status_code == 200, response.text
    return listed, response.json()


async def _refresh(
    http: httpx.AsyncClient, client: RegisteredClient, token: str, scope: str | None = None
) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": token, **client.form_auth()}
    if scope is not None:
        data["scope"] = scope
    return await http.post(paths.TOKEN, data=data, auth=client.auth() or httpx.USE_CLIENT_DEFAULT)


async def test_a_third_party_client_consented_for_openid_gets_no_api(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    # The same admin through a first-party client may read members and invite an ADMIN.
    _, first = await full_sign_in(live.url, live.client, rp, member.user.email)
    assert _errors(await _members(live, member, first["access_token"])) == []
    invited = await _invite_admin(live, member, first["access_token"])
    assert _errors(invited) == [] and invited["data"]["inviteMember"]["userErrors"] == []

    third = await register_client(services, third_party=True)
    async with Browser(live.url) as browser:
        listed, tokens = await _consented_tokens(
            live, browser, AuthRequest(third, scope="openid"), member.user.email
        )
        assert listed == ["Know who you are (your account identifier)"]
        assert tokens["scope"] == "openid"
        assert "refresh_token" not in tokens
        token = tokens["access_token"]
        assert _errors(await _members(live, member, token)) == ["FORBIDDEN"]
        assert _errors(await _invite_admin(live, member, token)) == ["FORBIDDEN"]
        assert _errors(await live.graphql("{ viewer { user { email } } }", token=token)) == [
            "FORBIDDEN"
        ]

        # With offline_access (consented too): the refresh token renews exactly that, no more.
        listed, tokens = await _consented_tokens(
            live, browser, AuthRequest(third, scope="openid offline_access"), None
        )
        assert listed == [SCOPE_DESCRIPTIONS["openid"], SCOPE_DESCRIPTIONS["offline_access"]]
        assert tokens["scope"] == "openid offline_access"
        renewed = await _refresh(live.client, third, tokens["refresh_token"])
        assert renewed.status_code == 200, renewed.text
        assert renewed.json()["scope"] == "openid offline_access"
        token = renewed.json()["access_token"]
        assert _errors(await _members(live, member, token)) == ["FORBIDDEN"]
        assert _errors(await _invite_admin(live, member, token)) == ["FORBIDDEN"]
        # Asking for more on refresh is refused (RFC 6749 §6).
        wider = await _refresh(
            live.client,
            third,
            renewed.json()["refresh_token"],
            scope="openid offline_access members:read members:write",
        )
        assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"


async def test_a_third_party_client_gets_exactly_the_consented_api_scopes(
    live: LiveServer, services: Services, member: Actor
) -> None:
    third = await register_client(services, third_party=True)
    # platform:admin and account:security are never offered to another company's application.
    request = AuthRequest(
        third, scope="openid members:read platform:admin account:security made:up"
    )
    async with Browser(live.url) as browser:
        listed, tokens = await _consented_tokens(live, browser, request, member.user.email)
    assert listed == [SCOPE_DESCRIPTIONS["openid"], SCOPE_DESCRIPTIONS[ApiScope.MEMBERS_READ]]
    assert tokens["scope"] == "openid members:read"
    token = tokens["access_token"]
    body = await _members(live, member, token)
    assert _errors(body) == []
    emails = [e["node"]["user"]["email"] for e in body["data"]["members"]["edges"]]
    assert member.user.email in emails
    # Reading is not writing, and members are not the rest of the API.
    assert _errors(await _invite_admin(live, member, token)) == ["FORBIDDEN"]
    for query in (
        "{ viewer { user { email } } }",
        "{ landing { __typename } }",
        "{ devices { edges { node { id } } } }",
        "{ licenses { edges { node { id } } } }",
        "{ auditEvents { edges { node { id } } } }",
    ):
        assert _errors(await live.graphql(query, token=token)) == ["FORBIDDEN"], query


async def test_first_party_clients_skip_consent_and_keep_the_whole_api(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    """The contract's request (``openid profile email offline_access``) by a first-party client:
    no consent page, every API scope, as before."""
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    assert set(tokens["scope"].split()) == set(SUPPORTED_SCOPES)
    renewed = await _refresh(live.client, rp, tokens["refresh_token"])
    assert renewed.json()["scope"] == tokens["scope"]
    # A refresh may narrow the scope (RFC 6749 §6), and then gets just that.
    narrowed = await _refresh(
        live.client, rp, renewed.json()["refresh_token"], scope="openid devices:read"
    )
    assert narrowed.json()["scope"] == "openid devices:read"
    assert _errors(await _members(live, member, narrowed.json()["access_token"])) == ["FORBIDDEN"]
    # A first-party client may also ask for less.
    _, narrow = await full_sign_in(
        live.url, live.client, rp, member.user.email, scope="openid devices:read"
    )
    assert narrow["scope"] == "openid devices:read"
    assert _errors(await _members(live, member, narrow["access_token"])) == ["FORBIDDEN"]


async def test_every_scope_a_client_can_hold_is_described(services: Services) -> None:
    assert set(SUPPORTED_SCOPES) <= set(SCOPE_DESCRIPTIONS)
    third = await register_client(services, third_party=True)
    async with services.db.read_session() as session:
        row = await session.scalar(
            select(OAuthClient).where(OAuthClient.client_id == third.client_id)
        )
    assert row is not None and not row.first_party
    assert not FIRST_PARTY_ONLY & set(row.scope.split())
