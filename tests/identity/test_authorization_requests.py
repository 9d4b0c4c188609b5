"""The authorization endpoint: exact redirect URIs, PKCE S256 only, RFC 9207 ``iss``, errors
that never redirect to an unvalidated place."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
from authlib.common.urls import add_params_to_uri

from domain.authz.api_scopes import ApiScope
from identity.oauth.grants import CodeGrant
from identity.oauth.requests import PortalRequest
from identity.provider import IdentityProvider
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    register_client,
    sign_in,
)
from tests.support.html import parse_page
from tests.support.server import LiveServer


def error_redirect(response: httpx.Response, client: RegisteredClient) -> dict[str, str]:
    params = callback_params(response, client.redirect_uri)
    assert "code" not in params
    return params


async def test_success_carries_state_and_iss(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        params = await sign_in(browser, request, member.user.email)
    assert set(params) == {"code", "state", "iss"}
    assert params["iss"] == live.settings.issuer and params["state"] == request.state


async def test_a_redirect_uri_keeps_its_query_and_the_answer_is_authlibs(
    live: LiveServer, services: Services, member: Actor
) -> None:
    # RFC 6749 §3.1.2: a registered redirect URI's own query is kept. The code response adds
    # code, state and iss in one pass (PortalAuthorizationServer.authorization_response):
    # byte for byte what Authlib's code response and then its RFC 9207 extension made of it.
    redirect_uri = "http://127.0.0.1:9/callback?tenant=north%20east&empty=&plus=a%2Bb"
    client = await register_client(services, redirect_uri=redirect_uri)
    request = AuthRequest(client, state="a b+c&d=é/?#")
    async with Browser(live.url) as browser:
        page = await browser.navigate("GET", request.url())
        response = await browser.login(page, member.user.email, DEFAULT_PASSWORD)
    assert response.status_code in {302, 303}, response.text[:500]
    location = response.headers["location"]
    # Authlib's path re-encodes the URI's own query (%20 as +): its parameters come back.
    assert location.startswith("http://127.0.0.1:9/callback?")
    query = parse_qsl(urlsplit(location).query, keep_blank_values=True)
    assert query[:3] == [("tenant", "north east"), ("empty", ""), ("plus", "a+b")]
    assert [name for name, _ in query[3:]] == ["code", "state", "iss"]
    code = query[3][1]
    assert query[4:] == [("state", request.state), ("iss", live.settings.issuer)]
    code_and_state = [("code", code), ("state", request.state)]
    authlib = add_params_to_uri(
        add_params_to_uri(redirect_uri, code_and_state), {"iss": live.settings.issuer}
    )
    assert location == authlib


def test_authlib_runs_no_hook_around_a_code_response(services: Services) -> None:
    # authorization_response issues the code without Authlib's hook dispatch: a hook that an
    # extension registers for these events would be skipped, so there must be none.
    server = IdentityProvider.build(services).server
    query = [("response_type", "code")]
    request = PortalRequest("GET", f"{services.settings.issuer}/oauth/authorize", {}, query, [])
    grant = server.get_authorization_grant(request)
    assert isinstance(grant, CodeGrant)
    assert not server._hooks["before_create_authorization_response"]
    assert not server._hooks["after_create_authorization_response"]
    assert not grant._hooks["after_authorization_response"]


PKCE_CASES = {
    "missing": ({"code_challenge": None, "code_challenge_method": None}, "PKCE is required"),
    "plain": ({"code_challenge_method": "plain"}, "must be 'S256'"),
    "no method": ({"code_challenge_method": None}, "must be 'S256'"),
    "malformed": ({"code_challenge": "too-short"}, "Invalid 'code_challenge'"),
}


async def test_pkce_is_required_and_s256_only(live: LiveServer, rp: RegisteredClient) -> None:
    for case, (change, description) in PKCE_CASES.items():
        request = AuthRequest(rp)
        params = {**request.params(), **change}
        response = await live.client.get(
            "/oauth/authorize", params={k: v for k, v in params.items() if v is not None}
        )
        answer = error_redirect(response, rp)
        assert answer["error"] == "invalid_request", case
        assert description in answer["error_description"], case
        assert answer["state"] == request.state and answer["iss"] == live.settings.issuer


def assert_error_page(response: httpx.Response) -> None:
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "not valid" in parse_page(response.text).text


ALMOST_REGISTERED = [
    "http://127.0.0.1:9/callbacK",
    "http://127.0.0.1:9/callback/",
    "http://127.0.0.1:9/callback?x=1",
    "http://127.0.0.1:9/callbac",
    "http://127.0.0.1:90/callback",
    "http://localhost:9/callback",
    "https://127.0.0.1:9/callback",
    "http://127.0.0.1:9/callback#",
]


async def test_a_redirect_uri_that_differs_gets_an_error_page(
    live: LiveServer, rp: RegisteredClient
) -> None:
    for redirect_uri in ALMOST_REGISTERED:
        params = {**AuthRequest(rp).params(), "redirect_uri": redirect_uri}
        assert_error_page(await live.client.get("/oauth/authorize", params=params))


async def test_unknown_client_or_missing_redirect_uri_gets_an_error_page(
    live: LiveServer, rp: RegisteredClient
) -> None:
    params = AuthRequest(rp).params()
    assert_error_page(
        await live.client.get("/oauth/authorize", params={**params, "client_id": "nobody"})
    )
    without = {k: v for k, v in params.items() if k != "redirect_uri"}
    assert_error_page(await live.client.get("/oauth/authorize", params=without))
    assert_error_page(
        await live.client.get("/oauth/authorize", params={**params, "client_id": "x" * 500})
    )


async def test_a_disabled_client_gets_an_error_page(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    from sqlalchemy import update

    from db.models import OAuthClient
    from kit.clock import utcnow

    async with services.db.unit_of_work() as session:
        await session.execute(
            update(OAuthClient)
            .where(OAuthClient.client_id == rp.client_id)
            .values(disabled_at=utcnow())
        )
    # The cache of this process holds no entry yet (first use), so it reads the row.
    assert_error_page(await live.client.get("/oauth/authorize", params=AuthRequest(rp).params()))


UNSUPPORTED = [
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"response_type": "code id_token"}, "unsupported_response_type"),
    ({"response_mode": "fragment"}, "invalid_request"),
    ({"request": "eyJhbGciOiJub25lIn0.e30."}, "request_not_supported"),
    ({"request_uri": "https://example.com/r"}, "request_uri_not_supported"),
    ({"prompt": "none login"}, "invalid_request"),
    ({"max_age": "-1"}, "invalid_request"),
    ({"nonce": "n" * 501}, "invalid_request"),
]


async def test_unsupported_requests_are_refused_with_iss(
    live: LiveServer, rp: RegisteredClient
) -> None:
    for change, error in UNSUPPORTED:
        request = AuthRequest(rp)
        response = await live.client.get("/oauth/authorize", params={**request.params(), **change})
        answer = error_redirect(response, rp)
        assert answer["error"] == error, change
        assert answer["iss"] == live.settings.issuer
        assert answer["state"] == request.state


async def test_a_missing_response_type_is_an_invalid_request(
    live: LiveServer, rp: RegisteredClient
) -> None:
    """RFC 6749 §4.1.2.1: a required parameter missing is invalid_request (a type we do not
    support is unsupported_response_type, above)."""
    for value in (None, ""):
        request = AuthRequest(rp)
        params = {k: v for k, v in request.params().items() if k != "response_type"}
        if value is not None:
            params["response_type"] = value
        answer = error_redirect(await live.client.get("/oauth/authorize", params=params), rp)
        assert answer["error"] == "invalid_request", value
        assert answer["iss"] == live.settings.issuer
        assert answer["state"] == request.state


async def test_repeated_parameters_are_refused(live: LiveServer, rp: RegisteredClient) -> None:
    # Which of two redirect URIs or states would be the right one? Nobody is redirected.
    request = AuthRequest(rp)
    for name in ("scope", "redirect_uri", "state", "response_type", "client_id"):
        items = [*request.params().items(), (name, request.params()[name])]
        assert_error_page(await live.client.get("/oauth/authorize", params=items))
    # Once the client and its redirect URI are known to be right, the client hears about it.
    items = [*request.params().items(), ("code_challenge", request.challenge)]
    response = await live.client.get("/oauth/authorize", params=items)
    assert error_redirect(response, rp)["error"] == "invalid_request"


async def test_unknown_scopes_are_ignored(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    request = AuthRequest(rp, scope="openid email address phone admin")
    async with Browser(live.url) as browser:
        params = await sign_in(browser, request, member.user.email)
    from tests.identity.oidc import exchange_code

    tokens = (await exchange_code(live.client, request, params["code"])).json()
    # The known OpenID scopes as asked; "admin", "address" and "phone" dropped. A first-party
    # client that asks for no API scope is issued all of them (and says so, RFC 6749 §3.3).
    scopes = tokens["scope"].split()
    assert scopes == ["openid", "email", *(s.value for s in ApiScope)]
    assert "refresh_token" not in tokens  # only with offline_access


async def test_login_redirect_keeps_the_request_and_uses_no_referrer(
    live: LiveServer, rp: RegisteredClient
) -> None:
    request = AuthRequest(rp)
    response = await live.client.get(request.url())
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert target.path == "/login"
    return_to = parse_qs(target.query)["return_to"][0]
    assert return_to.startswith("/oauth/authorize?")
    assert parse_qs(urlsplit(return_to).query)["state"] == [request.state]
    assert response.headers["referrer-policy"] == "no-referrer"
