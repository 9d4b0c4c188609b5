"""The hosted login page: the contract's form, headers, the session cookie, CSRF, PRG."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from db.models import BrowserSession
from domain.enums import Role
from kit.clock import utcnow
from runtime import Services
from settings import Settings
from tests.conftest import build_services
from tests.factories import DEFAULT_PASSWORD, Actor, create_actor
from tests.identity.oidc import (
    VIEWER,
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
    full_sign_in,
    sign_in,
    verified_claims,
)
from tests.support.gql import graphql_code
from tests.support.html import parse_page
from tests.support.server import LiveServer, serve
from tests.support.server import test_public_url as fresh_public_url


async def test_the_login_page_follows_the_contract(live: LiveServer) -> None:
    response = await live.client.get("/login")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = parse_page(response.text)
    form = page.form("/login")
    assert form.method == "post"
    assert {"email", "password", "csrf_token"} <= set(form.input_names())
    types = {i.get("name"): i.get("type") for i in form.inputs}
    assert types["email"] == "email" and types["password"] == "password"
    assert form.button_labels() == ["Login"]
    assert page.link("Create an Organization now") == "/register"
    assert page.link("Join as a STEP Partner") == "/partner/join"
    assert page.link("Forgot password?") == "/forgot-password"
    # One stylesheet and one script (passkeys), both served by the portal; no inline script and
    # no inline handlers.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
    assert len(scripts) == 1 and scripts[0][1] == "", scripts
    assert 'src="/assets/passkeys.js?v=' in scripts[0][0]
    passkey = page.form("/login/passkey")
    assert {"csrf_token", "credential"} <= set(passkey.input_names())
    assert passkey.button_labels() == ["Sign in with a passkey"]
    assert not re.search(r"\son[a-z]+\s*=", response.text)
    stylesheet = response.text.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/assets/portal.css")
    css = await live.client.get(stylesheet)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


async def test_pages_send_the_security_headers(live: LiveServer) -> None:
    headers = (await live.client.get("/login")).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    # Script only from our own origin (the passkeys script), never inline.
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "connect-src 'self'" in csp
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in headers  # development over http


def set_cookie(response: httpx.Response) -> str:
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 1, cookies
    return cookies[0]


async def test_development_cookie_attributes(live: LiveServer) -> None:
    cookie = set_cookie(await live.client.get("/login"))
    name = cookie.split("=", 1)[0]
    # Plain http: a __Host- cookie would need Secure, which the browser would never send back.
    assert name == "portal_session"
    attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=lax"} <= attributes
    assert "secure" not in attributes
    assert not any(a.startswith("domain") for a in attributes)


@pytest.fixture
async def production(make_settings: Callable[..., Settings]) -> AsyncIterator[LiveServer]:
    """The portal as deployed: production, an https public URL (TLS ends at a proxy)."""
    plain = fresh_public_url()
    settings = make_settings(env="production", public_url=plain.replace("http://", "https://"))
    services = await build_services(settings)
    try:
        async with serve(settings, services, base_url=plain) as server:
            yield server
    finally:
        await services.close()


async def test_production_cookie_and_headers(production: LiveServer) -> None:
    response = await production.client.get("/login")
    cookie = set_cookie(response)
    assert cookie.startswith("__Host-portal_session=")
    attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=lax", "secure"} <= attributes
    assert not any(a.startswith("domain") for a in attributes)
    assert response.headers["strict-transport-security"].startswith("max-age=")
    # Every self-service page, and the stylesheet, is HSTS in production too.
    for path in ("/register", "/partner/join", "/check-email", "/activate/resend", "/legal/terms"):
        page = await production.client.get(path)
        assert page.status_code == 200, path
        assert page.headers["strict-transport-security"].startswith("max-age="), path
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    stylesheet = response.text.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    css = await production.client.get(stylesheet)
    assert css.headers["strict-transport-security"].startswith("max-age=")
    assert css.headers["x-content-type-options"] == "nosniff"


async def test_a_form_without_the_sessions_csrf_token_is_refused(
    live: LiveServer, member: Actor
) -> None:
    async with Browser(live.url) as browser:
        page = parse_page((await browser.http.get("/login")).text)
        fields = page.form("/login").fields
        for token in ("", "forged", fields["csrf_token"] + "x"):
            response = await browser.http.post(
                "/login",
                data={
                    **fields,
                    "csrf_token": token,
                    "email": member.user.email,
                    "password": DEFAULT_PASSWORD,
                },
            )
            assert response.status_code == 403
            assert "set-cookie" not in response.headers
        # Someone else's (valid) token does not work with this browser's session either.
        async with Browser(live.url) as other:
            theirs = parse_page((await other.http.get("/login")).text).form("/login").fields
        response = await browser.http.post(
            "/login",
            data={
                **fields,
                "csrf_token": theirs["csrf_token"],
                "email": member.user.email,
                "password": DEFAULT_PASSWORD,
            },
        )
        assert response.status_code == 403
    # No cookie at all: refused too.
    response = await live.client.post(
        "/login", data={"csrf_token": fields["csrf_token"], "email": "a@b.c", "password": "x"}
    )
    assert response.status_code == 403


async def _browser_sessions(services: Services) -> int:
    async with services.db.read_session() as session:
        return len((await session.scalars(select(BrowserSession.id))).all())


async def test_cookieless_page_views_store_no_session_and_forms_still_work(
    live: LiveServer, services: Services, member: Actor
) -> None:
    """Outside test: every cookieless GET inserted a browser_session row (a cheap way to fill the
    table). A page view now writes nothing; the row comes when something must be kept."""
    before = await _browser_sessions(services)
    async with httpx.AsyncClient(base_url=live.url) as visitor:
        for path in ["/login"] * 25 + ["/register", "/forgot-password", "/activate/resend"]:
            visitor.cookies.clear()  # a new visitor every time
            shown = await visitor.get(path)
            assert shown.status_code == 200 and "set-cookie" in shown.headers
    assert await _browser_sessions(services) == before

    async with Browser(live.url) as browser:
        page = parse_page((await browser.http.get("/login")).text)
        fields = page.form("/login").fields
        cookie = dict(browser.http.cookies)["portal_session"]
        # The same browser keeps its (draft) cookie across pages, so several tabs work.
        await browser.http.get("/register")
        assert dict(browser.http.cookies)["portal_session"] == cookie
        # CSRF is enforced on a draft as on a stored session.
        for token in ("", "forged", fields["csrf_token"] + "0", "d.1.00"):
            refused = await browser.http.post(
                "/login", data={**fields, "csrf_token": token, "email": "a@b.c", "password": "x"}
            )
            assert refused.status_code == 403
        assert await _browser_sessions(services) == before
        # A failed login must keep its flash: now the session is stored, once.
        failed = await browser.http.post(
            "/login", data={**fields, "email": member.user.email, "password": "wrong"}
        )
        assert failed.status_code == 303
        assert await _browser_sessions(services) == before + 1
        again = parse_page((await browser.http.get("/login")).text)
        assert "The email or password is incorrect." in again.text
        assert dict(browser.http.cookies)["portal_session"] == cookie
        # And then a login works (the stored anonymous session ends, a new one starts).
        signed_in = await browser.http.post(
            "/login",
            data={
                **again.form("/login").fields,
                "email": member.user.email,
                "password": DEFAULT_PASSWORD,
            },
        )
        assert signed_in.status_code == 303
        assert dict(browser.http.cookies)["portal_session"] != cookie
    # A draft's CSRF token is bound to its cookie: it does not work with another cookie.
    async with Browser(live.url) as other:
        await other.http.get("/login")
        borrowed = await other.http.post(
            "/login", data={**fields, "email": member.user.email, "password": DEFAULT_PASSWORD}
        )
        assert borrowed.status_code == 403


async def test_a_draft_s_csrf_token_expires_with_the_idle_timeout(
    live: LiveServer, member: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Browser(live.url) as browser:
        fields = parse_page((await browser.http.get("/login")).text).form("/login").fields
        later = utcnow() + timedelta(seconds=live.settings.session_idle_seconds + 5)
        monkeypatch.setattr("identity.sessions.utcnow", lambda: later)
        stale = await browser.http.post(
            "/login", data={**fields, "email": member.user.email, "password": DEFAULT_PASSWORD}
        )
        assert stale.status_code == 403


async def test_failed_login_redirects_back_with_the_error_and_the_email_only(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        login = await browser.navigate("GET", request.url())
        page = parse_page(login.text)
        secret = "wrong password that must never be echoed"
        posted = await browser.http.post(
            "/login",
            data={**page.form("/login").fields, "email": member.user.email, "password": secret},
        )
        assert posted.status_code == 303  # POST-redirect-GET
        again = await browser.http.get(posted.headers["location"])
        assert again.status_code == 200
        assert secret not in again.text
        shown = parse_page(again.text)
        assert "The email or password is incorrect." in shown.text
        form = shown.form("/login")
        assert form.fields["email"] == member.user.email
        assert form.fields["password"] == ""
        assert form.fields["return_to"] == page.form("/login").fields["return_to"]
        # The flash is shown once.
        assert (
            "incorrect"
            not in parse_page((await browser.http.get(posted.headers["location"])).text).text
        )
        # And the pending authorization request survives the failure.
        done = await browser.login(again, member.user.email)
        assert callback_params(done, rp.redirect_uri)["state"] == request.state


async def test_the_session_id_changes_at_login(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    async with Browser(live.url) as browser:
        await browser.http.get("/login")
        before = dict(browser.http.cookies)["portal_session"]
        await sign_in(browser, AuthRequest(rp), member.user.email)
        after = dict(browser.http.cookies)["portal_session"]
        assert before != after
    # The pre-login token is worth nothing now: it does not carry the login.
    async with Browser(live.url) as attacker:
        attacker.http.cookies.set("portal_session", before)
        response = await attacker.http.get(AuthRequest(rp).url())
        assert response.status_code == 303 and response.headers["location"].startswith("/login?")


async def test_a_logged_in_browser_gets_codes_without_the_form(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    async with Browser(live.url) as browser:
        await sign_in(browser, AuthRequest(rp), member.user.email)
        request = AuthRequest(rp)
        again = await browser.navigate("GET", request.url())
        assert callback_params(again, rp.redirect_uri)["state"] == request.state
        # Signed in with no application waiting, /login sends the person to the web console.
        landing = await browser.http.get("/login")
        assert landing.status_code == 303 and landing.headers["location"] == "/"


async def expire(services: Services, **values: object) -> None:
    async with services.db.unit_of_work() as session:
        await session.execute(update(BrowserSession).values(**values))


async def test_sessions_end_after_30_idle_minutes_or_12_hours(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    settings = live.settings
    assert (
        settings.session_idle_seconds == 30 * 60 and settings.session_absolute_seconds == 12 * 3600
    )
    async with Browser(live.url) as browser:
        await sign_in(browser, AuthRequest(rp), member.user.email)
        async with services.db.read_session() as session:
            row = await session.scalar(
                select(BrowserSession).where(BrowserSession.user_id == member.user.id)
            )
        assert row is not None
        assert abs((row.expires_at - row.created_at) - timedelta(hours=12)) < timedelta(seconds=5)

        # 29 minutes idle: still fine (and the visit counts as activity).
        await expire(services, last_seen_at=utcnow() - timedelta(minutes=29))
        ok = await browser.navigate("GET", AuthRequest(rp).url())
        assert "code" in callback_params(ok, rp.redirect_uri)
        # 31 minutes idle: log in again.
        await expire(services, last_seen_at=utcnow() - timedelta(minutes=31))
        idle = await browser.http.get(AuthRequest(rp).url())
        assert idle.headers["location"].startswith("/login?")

        await sign_in(browser, AuthRequest(rp), member.user.email)
        await expire(services, expires_at=utcnow() - timedelta(seconds=1))
        absolute = await browser.http.get(AuthRequest(rp).url())
        assert absolute.headers["location"].startswith("/login?")


async def test_logout_ends_the_session_and_its_tokens(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    async with Browser(live.url) as browser:
        _, tokens = await full_sign_in(
            live.url, live.client, rp, member.user.email, browser=browser
        )
        page = parse_page((await browser.http.get("/logout")).text)
        response = await browser.submit(page, "/logout", {})
        assert response.status_code == 200
        assert "You are logged out" in parse_page(response.text).text
        assert "portal_session=" in response.headers["set-cookie"]  # cleared
        again = await browser.http.get(AuthRequest(rp).url())
        assert again.headers["location"].startswith("/login?")
    assert (
        graphql_code(await live.graphql(VIEWER, token=tokens["access_token"])) == "UNAUTHENTICATED"
    )


async def test_only_active_users_of_active_organizations_log_in(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    from db.models import Organization, User
    from domain.enums import OrganizationStatus, UserStatus

    disabled = await create_actor(services, role=Role.USER, with_password=True)
    suspended = await create_actor(services, role=Role.USER, with_password=True)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User).where(User.id == disabled.user.id).values(status=UserStatus.DISABLED)
        )
        await session.execute(
            update(Organization)
            .where(Organization.id == suspended.organization.id)
            .values(status=OrganizationStatus.SUSPENDED, suspended_at=utcnow())
        )
    for actor in (disabled, suspended):
        async with Browser(live.url) as browser:
            page = await browser.navigate("GET", AuthRequest(rp).url())
            answer = await browser.login(page, actor.user.email)
            assert answer.status_code == 200
            assert "cannot sign in" in parse_page(answer.text).text


async def test_a_login_answers_the_authorization_request_it_returns_to(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    """The login's own answer is the authorization endpoint's: the code at the client's redirect
    URI with state and iss, in one redirect (no second trip through /oauth/authorize), for the
    session the login started. A ``return_to`` no client sent is left to the endpoint's page."""
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        login = await browser.navigate("GET", request.url())
        form = parse_page(login.text).form("/login")
        posted = await browser.http.post(
            "/login",
            data={**form.fields, "email": member.user.email, "password": DEFAULT_PASSWORD},
        )
        params = callback_params(posted, rp.redirect_uri)
        assert params["state"] == request.state and params["iss"] == live.settings.issuer
        assert posted.headers["cache-control"] == "no-store"
        tokens = (await exchange_code(live.client, request, params["code"])).json()
        claims = await verified_claims(live.client, tokens["id_token"])
        assert claims["sub"] == str(member.user.id) and claims["nonce"] == request.nonce
        # The cookie set with that answer is the signed-in session: a silent request succeeds.
        quiet = AuthRequest(rp, extra={"prompt": "none"})
        assert "code" in callback_params(await browser.http.get(quiet.url()), rp.redirect_uri)

        unknown = "/oauth/authorize?response_type=code&client_id=nobody&scope=openid"
        again = await browser.navigate("GET", AuthRequest(rp, extra={"prompt": "login"}).url())
        fields = parse_page(again.text).form("/login").fields
        posted = await browser.http.post(
            "/login",
            data={
                **fields,
                "email": member.user.email,
                "password": DEFAULT_PASSWORD,
                "return_to": unknown,
            },
        )
        assert posted.status_code == 303 and posted.headers["location"] == unknown
        assert (await browser.http.get(unknown)).status_code == 400
