"""prompt=none/login, max_age, the consent screen for third-party clients, RP-initiated logout."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from db.models import BrowserSession, OAuthConsent
from domain.enums import Role
from identity.oauth.clients import create_client
from runtime import Services
from tests.factories import Actor, create_actor
from tests.identity.oidc import (
    LOGOUT_URI,
    REDIRECT_URI,
    VIEWER,
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
    full_sign_in,
    register_client,
    sign_in,
    verified_claims,
)
from tests.support.gql import graphql_code
from tests.support.html import parse_page
from tests.support.server import LiveServer


async def test_prompt_none(live: LiveServer, member: Actor, rp: RegisteredClient) -> None:
    request = AuthRequest(rp, extra={"prompt": "none"})
    # No session: login_required, sent back to the client with state and iss.
    answer = callback_params(await live.client.get(request.url()), rp.redirect_uri)
    assert answer["error"] == "login_required"
    assert answer["state"] == request.state and answer["iss"] == live.settings.issuer
    # With a session: a code, silently.
    async with Browser(live.url) as browser:
        await sign_in(browser, AuthRequest(rp), member.user.email)
        silent = AuthRequest(rp, extra={"prompt": "none"})
        assert "code" in callback_params(await browser.http.get(silent.url()), rp.redirect_uri)


async def test_an_id_token_hint_for_another_user_is_not_answered_silently(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    """OIDC Core §3.1.2.1: the RP names the user it expects with id_token_hint. Another user
    signed in on this browser gets login_required (prompt=none) or the login form, never a
    silent code; the hinted user's own session answers as usual; an unverifiable hint changes
    nothing."""
    other = await create_actor(services, role=Role.ADMIN, with_password=True)
    _, hinted = await full_sign_in(live.url, live.client, rp, other.user.email)
    async with Browser(live.url) as browser:
        await sign_in(browser, AuthRequest(rp), member.user.email)
        quiet = AuthRequest(rp, extra={"prompt": "none", "id_token_hint": hinted["id_token"]})
        answer = callback_params(await browser.http.get(quiet.url()), rp.redirect_uri)
        assert answer["error"] == "login_required" and answer["state"] == quiet.state
        # Without prompt=none: the login form; whoever signs in there is answered for.
        request = AuthRequest(rp, extra={"id_token_hint": hinted["id_token"]})
        shown = await browser.navigate("GET", request.url())
        assert shown.status_code == 200 and parse_page(shown.text).form("/login")
        params = callback_params(await browser.login(shown, other.user.email), rp.redirect_uri)
        response = await exchange_code(live.client, request, params["code"])
        claims = await verified_claims(live.client, response.json()["id_token"])
        assert claims["sub"] == str(other.user.id)
        # Now the hinted user is the one signed in: prompt=none answers with a code.
        again = AuthRequest(rp, extra={"prompt": "none", "id_token_hint": hinted["id_token"]})
        assert "code" in callback_params(await browser.http.get(again.url()), rp.redirect_uri)
        # A hint that is not our ID token (garbage, an access token) is ignored.
        for junk in ("garbage", hinted["access_token"]):
            ignored = AuthRequest(rp, extra={"prompt": "none", "id_token_hint": junk})
            assert "code" in callback_params(await browser.http.get(ignored.url()), rp.redirect_uri)


async def auth_time(live: LiveServer, request: AuthRequest, code: str) -> int:
    response = await exchange_code(live.client, request, code)
    assert response.status_code == 200, response.text
    claims = await verified_claims(live.client, response.json()["id_token"])
    value = claims["auth_time"]
    assert isinstance(value, int)
    return value


async def test_prompt_login_and_max_age_force_a_fresh_login(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    async with Browser(live.url) as browser:
        first = AuthRequest(rp)
        earlier = await auth_time(
            live, first, (await sign_in(browser, first, member.user.email))["code"]
        )
        for extra in ({"prompt": "login"}, {"max_age": "0"}):
            await asyncio.sleep(1.05)  # auth_time has a one-second resolution
            request = AuthRequest(rp, extra=extra)
            shown = await browser.navigate("GET", request.url())
            assert shown.status_code == 200 and parse_page(shown.text).form("/login")
            params = callback_params(await browser.login(shown, member.user.email), rp.redirect_uri)
            assert params["state"] == request.state
            later = await auth_time(live, request, params["code"])
            assert later > earlier
            earlier = later
        # A generous max_age is satisfied by the current session.
        relaxed = AuthRequest(rp, extra={"max_age": "3600"})
        assert "code" in callback_params(await browser.http.get(relaxed.url()), rp.redirect_uri)


async def test_third_party_clients_ask_for_consent_once(
    live: LiveServer, services: Services, member: Actor
) -> None:
    third = await register_client(services, third_party=True)
    async with Browser(live.url) as browser:
        request = AuthRequest(third, scope="openid email")
        login = await browser.navigate("GET", request.url())
        consent = await browser.login(login, member.user.email)
        assert consent.status_code == 200
        page = parse_page(consent.text)
        assert "Test App" in page.text and "See your email address" in page.text
        assert page.form("/consent").button_labels() == ["Deny", "Allow"]

        # prompt=none cannot show the screen.
        silent = AuthRequest(third, scope="openid email", extra={"prompt": "none"})
        answer = callback_params(await browser.http.get(silent.url()), third.redirect_uri)
        assert answer["error"] == "consent_required"

        # Deny: access_denied back at the client, with state and iss.
        form = page.form("/consent")
        denied = await browser.navigate(
            "POST", "/consent", data={**form.fields, "decision": "deny"}
        )
        answer = callback_params(denied, third.redirect_uri)
        assert answer["error"] == "access_denied" and answer["state"] == request.state
        assert answer["iss"] == live.settings.issuer

        # Allow: a code; the next request for the same scope goes straight through.
        again = await browser.navigate("GET", request.url())
        allowed = await browser.submit(parse_page(again.text), "/consent", {"decision": "allow"})
        assert callback_params(allowed, third.redirect_uri)["state"] == request.state
        quiet = AuthRequest(third, scope="openid email")
        assert "code" in callback_params(
            await browser.navigate("GET", quiet.url()), third.redirect_uri
        )
        # A new scope asks again.
        wider = await browser.navigate(
            "GET", AuthRequest(third, scope="openid email profile").url()
        )
        assert "See your name" in parse_page(wider.text).text
        # A forged consent form is refused.
        forged = await browser.http.post(
            "/consent", data={**form.fields, "csrf_token": "forged", "decision": "allow"}
        )
        assert forged.status_code == 403
    async with services.db.read_session() as session:
        scopes = (await session.scalars(select(OAuthConsent.scope))).all()
    assert [set(s.split()) for s in scopes] == [{"openid", "email"}]


async def test_rp_initiated_logout_with_id_token_hint(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    async with Browser(live.url) as browser:
        _, tokens = await full_sign_in(
            live.url, live.client, rp, member.user.email, browser=browser
        )
        logout = await browser.http.get(
            "/logout",
            params={
                "id_token_hint": tokens["id_token"],
                "post_logout_redirect_uri": LOGOUT_URI,
                "state": "bye",
            },
        )
        assert logout.status_code == 302
        target = urlsplit(logout.headers["location"])
        assert f"{target.scheme}://{target.netloc}{target.path}" == LOGOUT_URI
        assert parse_qs(target.query) == {"state": ["bye"]}
        # The browser session ended, and the tokens issued through it.
        again = await browser.http.get(AuthRequest(rp).url())
        assert again.headers["location"].startswith("/login?")
    assert (
        graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) == "UNAUTHENTICATED"
    )
    async with services.db.read_session() as session:
        ended = (
            await session.scalars(
                select(BrowserSession.ended_at).where(BrowserSession.user_id == member.user.id)
            )
        ).all()
    assert ended and all(e is not None for e in ended)


async def test_logout_redirects_only_to_a_registered_uri(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    async with Browser(live.url) as browser:
        _, tokens = await full_sign_in(
            live.url, live.client, rp, member.user.email, browser=browser
        )
        logout = await browser.http.get(
            "/logout",
            params={
                "id_token_hint": tokens["id_token"],
                "post_logout_redirect_uri": LOGOUT_URI + "x",
            },
        )
        assert logout.status_code == 200 and "location" not in logout.headers
        assert "You are logged out" in parse_page(logout.text).text
        # An access token is not an ID token hint.
        forged = await live.client.get("/logout", params={"id_token_hint": tokens["access_token"]})
        assert forged.status_code == 400


async def test_logout_without_a_hint_asks_first(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    async with Browser(live.url) as browser:
        await sign_in(browser, AuthRequest(rp), member.user.email)
        params = {"client_id": rp.client_id, "post_logout_redirect_uri": LOGOUT_URI, "state": "s1"}
        shown = await browser.http.get("/logout", params=params)
        assert shown.status_code == 200
        page = parse_page(shown.text)
        assert "Test App" in page.text
        # Still logged in until the user confirms.
        assert (await browser.http.get(AuthRequest(rp).url())).status_code == 302
        confirmed = await browser.submit(page, "/logout", {})
        assert confirmed.status_code == 302
        assert confirmed.headers["location"] == LOGOUT_URI + "?state=s1"
        assert (
            (await browser.http.get(AuthRequest(rp).url()))
            .headers["location"]
            .startswith("/login?")
        )


async def test_someone_elses_id_token_hint_does_not_log_the_user_out_unasked(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    """Outside test: a link carrying the attacker's own ID token ended the victim's session and
    revoked their tokens. A hint for another user — or for another session of this user — gets
    the confirmation page; only the user's own click logs them out."""
    attacker = await create_actor(services, role=Role.ADMIN, with_password=True)
    _, theirs = await full_sign_in(live.url, live.client, rp, attacker.user.email)
    async with Browser(live.url) as browser:
        _, mine = await full_sign_in(live.url, live.client, rp, member.user.email, browser=browser)
        lure = {
            "id_token_hint": theirs["id_token"],
            "post_logout_redirect_uri": LOGOUT_URI,
            "state": "gotcha",
        }
        shown = await browser.http.get("/logout", params=lure)
        assert shown.status_code == 200 and "location" not in shown.headers
        page = parse_page(shown.text)
        assert "Log out?" in page.text
        # Nothing ended: the session still signs in silently, the tokens still work.
        assert "code" in callback_params(
            await browser.http.get(AuthRequest(rp, extra={"prompt": "none"}).url()),
            rp.redirect_uri,
        )
        assert graphql_code(await live.graphql(VIEWER, token=mine["access_token"])) is None
        # Confirmed by the user, it is a logout like any other (back to the registered URI).
        confirmed = await browser.submit(page, "/logout", {})
        assert confirmed.status_code == 302
        assert confirmed.headers["location"] == LOGOUT_URI + "?state=gotcha"
    assert graphql_code(await live.graphql(VIEWER, token=mine["access_token"])) == (
        "UNAUTHENTICATED"
    )


async def test_a_hint_for_an_earlier_session_of_the_same_user_asks_first(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    _, earlier = await full_sign_in(live.url, live.client, rp, member.user.email)
    async with Browser(live.url) as browser:
        await sign_in(browser, AuthRequest(rp), member.user.email)
        shown = await browser.http.get("/logout", params={"id_token_hint": earlier["id_token"]})
        assert shown.status_code == 200 and "Log out?" in parse_page(shown.text).text
        # Still signed in.
        again = await browser.http.get(AuthRequest(rp).url())
        assert again.status_code == 302 and not again.headers["location"].startswith("/login?")


async def test_a_client_without_post_logout_uris_may_return_to_its_redirect_uris(
    live: LiveServer, services: Services, member: Actor
) -> None:
    """`create-client` of the contract registers only redirect URIs: an RP made that way sends
    one of them as post_logout_redirect_uri and is sent back with its state; any other URI is
    still refused, and a client with its own post-logout list keeps to that list."""
    second = "http://127.0.0.1:9/other-callback"
    created = await create_client(
        services.db, name="CLI App", redirect_uris=[REDIRECT_URI, second], public=False
    )
    cli_rp = RegisteredClient(created.client_id, created.client_secret)
    for target, redirected in ((second, True), (REDIRECT_URI + "x", False)):
        async with Browser(live.url) as browser:
            _, tokens = await full_sign_in(
                live.url, live.client, cli_rp, member.user.email, browser=browser
            )
            logout = await browser.http.get(
                "/logout",
                params={
                    "id_token_hint": tokens["id_token"],
                    "post_logout_redirect_uri": target,
                    "state": "st",
                },
            )
            if redirected:
                assert logout.status_code == 302
                assert logout.headers["location"] == f"{target}?state=st"
            else:
                assert logout.status_code == 200 and "location" not in logout.headers
    # A client with an explicit list does not fall back to its redirect URIs.
    explicit = await register_client(services)
    async with Browser(live.url) as browser:
        _, tokens = await full_sign_in(
            live.url, live.client, explicit, member.user.email, browser=browser
        )
        logout = await browser.http.get(
            "/logout",
            params={"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": REDIRECT_URI},
        )
        assert logout.status_code == 200 and "location" not in logout.headers
