"""The console as a backend for frontend: no token ever reaches the browser, the one cookie is
HttpOnly and SameSite, login rotates it, logout revokes the refresh token and ends both sessions,
and everything works with JavaScript turned off."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from db.models import AuditEvent, BrowserSession, ConsoleSession, RefreshToken
from runtime import Services
from tests.browser.conftest import Axe, Screenshot
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.support.server import LiveServer

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.")


async def test_no_token_reaches_the_browser_and_logout_revokes(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshot: Screenshot
) -> None:
    actor = await customer(services)
    await page.goto("/")
    before = {c["name"]: c["value"] for c in await page.context.cookies()}
    await page.get_by_label("Email").fill(actor.user.email)
    await page.get_by_label("Password").fill("correct horse battery staple 42")
    await click_through(page, page.get_by_role("button", name="Login"))
    assert page.url == f"{live.url}/"

    cookies = await page.context.cookies()
    console_cookie = next(c for c in cookies if c["name"] == "portal_console")
    assert console_cookie["httpOnly"] and console_cookie["sameSite"] == "Lax"
    # Login replaced the session that carried the login on its way (session fixation).
    assert console_cookie["value"] != before.get("portal_console")
    for cookie in cookies:
        assert not JWT.search(cookie["value"]), cookie["name"]
    for path in ["/", "/devices", "/users", "/licenses", "/locations", "/account"]:
        await page.goto(path)
        assert not JWT.search(await page.content()), path
    storage = await page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    assert storage == "[[],[]]"

    async with services.db.read_session() as session:
        live_tokens = await session.scalar(
            select(func.count())
            .select_from(RefreshToken)
            .where(RefreshToken.user_id == actor.user.id, RefreshToken.revoked_at.is_(None))
        )
        rows = await session.scalar(select(func.count()).select_from(ConsoleSession))
    assert live_tokens == 1 and rows
    # At rest the session is sealed: no token in the clear, not even the refresh token.
    async with services.db.read_session() as session:
        sealed = (await session.scalars(select(ConsoleSession.sealed))).all()
    assert sealed and not any(b"eyJ" in blob or b"refresh" in blob for blob in sealed)

    await click_through(page, page.get_by_role("button", name="Log out"))
    assert "/login" in page.url
    await expect(page.get_by_role("button", name="Login")).to_be_visible()
    async with services.db.read_session() as session:
        unrevoked = await session.scalar(
            select(func.count())
            .select_from(RefreshToken)
            .where(RefreshToken.user_id == actor.user.id, RefreshToken.revoked_at.is_(None))
        )
        open_browser_sessions = await session.scalar(
            select(func.count())
            .select_from(BrowserSession)
            .where(BrowserSession.user_id == actor.user.id, BrowserSession.ended_at.is_(None))
        )
    assert unrevoked == 0
    assert open_browser_sessions == 0
    # The old cookie opens nothing: / asks for a login again.
    await page.context.add_cookies(
        [{"name": "portal_console", "value": console_cookie["value"], "url": live.url}]
    )
    await page.goto("/devices")
    assert "/login" in page.url


async def test_a_journey_with_javascript_turned_off(
    browser: Browser, live: LiveServer, services: Services, axe: Axe, screenshot: Screenshot
) -> None:
    actor = await customer(services)
    context = await browser.new_context(
        base_url=live.url, java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    try:
        page = await context.new_page()
        await sign_in(page, actor.user.email, "/devices")
        assert page.url == f"{live.url}/devices"
        await page.get_by_role("link", name="Register device").click()
        await page.get_by_label("Serial number").fill("NOJS-0001")
        await page.get_by_label("MAC address").fill("aabbccddee42")
        await page.get_by_label("Model").fill("TC-200")
        await click_through(page, page.get_by_role("button", name="Register device"))
        await expect(page.get_by_role("row", name=re.compile("NOJS-0001"))).to_be_visible()
        await screenshot(page, "console-devices-without-javascript")

        await page.get_by_role("navigation").get_by_role("link", name="Locations").click()
        await page.get_by_role("link", name="Add location").click()
        await page.get_by_label("Name", exact=True).fill("Depot")
        await page.get_by_label("Time zone").select_option("America/New_York")
        await click_through(page, page.get_by_role("button", name="Add location"))
        await expect(page.get_by_role("row", name=re.compile("Depot"))).to_contain_text(
            "America/New_York"
        )
        await click_through(page, page.get_by_role("button", name="Log out"))
        assert "/login" in page.url
    finally:
        await context.close()


async def test_the_access_token_is_refreshed_on_the_server(
    page: Page, live: LiveServer, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Near its expiry (here: always), the console rotates the refresh token before the call;
    the browser sees nothing of it."""
    actor = await customer(services)
    await sign_in(page, actor.user.email)
    cookie = next(c for c in await page.context.cookies() if c["name"] == "portal_console")
    monkeypatch.setattr("console.web.REFRESH_MARGIN_SECONDS", 10**9)
    for path in ["/devices", "/users", "/"]:
        await page.goto(path)
        await expect(
            page.get_by_role("navigation").get_by_role("button", name="Log out")
        ).to_be_visible()
    async with services.db.read_session() as session:
        family = (
            await session.scalars(select(RefreshToken).where(RefreshToken.user_id == actor.user.id))
        ).all()
    assert len(family) == 4  # the first and three rotations
    assert sum(t.rotated_at is None and t.revoked_at is None for t in family) == 1
    # The same cookie all along.
    after = next(c for c in await page.context.cookies() if c["name"] == "portal_console")
    assert after["value"] == cookie["value"]


async def test_the_audit_log_sees_the_person_not_the_console(
    page: Page, live: LiveServer, services: Services
) -> None:
    """The console's in-process calls carry the browser's address and user agent."""
    actor = await customer(services)
    await sign_in(page, actor.user.email, "/locations/new")
    await page.get_by_label("Name", exact=True).fill("Audited depot")
    await page.get_by_label("Time zone").select_option("Europe/Paris")
    await click_through(page, page.get_by_role("button", name="Add location"))
    async with services.db.read_session() as session:
        event = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.organization_id == actor.organization.id)
                .order_by(AuditEvent.occurred_at.desc())
            )
        ).first()
    assert event is not None and event.actor_user_id == actor.user.id
    assert "Chrome" in (event.user_agent or ""), event.user_agent
    assert event.client_address == "127.0.0.1"
