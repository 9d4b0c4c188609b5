"""Members management, the friendly 500 page, and the console session's idle timeout."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select, update

from console.api.client import PortalApi
from db.models import ConsoleSession, Membership
from domain.enums import Role
from kit.clock import utcnow
from runtime import Services
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.support.server import LiveServer


async def test_an_admin_changes_a_role_and_removes_a_member(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    admin = await customer(services)
    member = await customer(services, role=Role.USER, organization=admin.organization)
    await sign_in(page, admin.user.email, "/users")
    row = page.get_by_role("row", name=re.compile(re.escape(member.user.email)))
    await row.get_by_label(re.compile("^Role of")).select_option("ADMIN")
    await click_through(page, row.get_by_role("button", name=re.compile("^Change role")))
    await expect(page.get_by_role("status")).to_have_text("Role changed.")
    async with services.db.read_session() as session:
        role = await session.scalar(
            select(Membership.role).where(Membership.user_id == member.user.id)
        )
    assert role is Role.ADMIN
    await row.get_by_role("link", name=re.compile("^Remove")).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Remove user")
    await expect(page.get_by_text(member.user.email)).to_be_visible()
    await axe(page)
    await screenshots(page, "console-remove-user")
    await click_through(page, page.get_by_role("button", name="Remove user"))
    await expect(page.get_by_role("status")).to_have_text("User removed.")
    await expect(row).to_have_count(0)


async def test_an_unexpected_failure_is_the_friendly_500_page(
    page: Page, live: LiveServer, services: Services, monkeypatch: pytest.MonkeyPatch, axe: Axe
) -> None:
    actor = await customer(services)
    await sign_in(page, actor.user.email)

    async def broken(self: PortalApi, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(PortalApi, "licenses", broken)
    response = await page.goto("/licenses")
    assert response is not None and response.status == 500
    await expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong")
    assert "a bug" not in await page.content()
    await axe(page)


@pytest.mark.parametrize("path", ["/devices", "/audit-log"])
async def test_a_made_up_page_cursor_is_a_400_page_not_a_500(
    page: Page, live: LiveServer, services: Services, path: str
) -> None:
    actor = await customer(services)
    await sign_in(page, actor.user.email)
    response = await page.goto(f"{path}?after=not-a-cursor")
    assert response is not None and response.status == 400
    await expect(page.get_by_role("heading", level=1)).to_have_text("Request not understood")
    await expect(page.get_by_role("navigation", name="Console")).to_be_visible()


async def test_thirty_idle_minutes_end_the_console_session(
    page: Page, live: LiveServer, services: Services
) -> None:
    actor = await customer(services)
    await sign_in(page, actor.user.email)
    before = next(c for c in await page.context.cookies() if c["name"] == "portal_console")
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(ConsoleSession).values(last_seen_at=utcnow() - timedelta(minutes=31))
        )
    await page.goto("/devices")
    # The idle console session is over; the provider's own session (used 31 minutes ago by its
    # clock, which this test did not move) signs the person in again: a new console session.
    assert page.url == f"{live.url}/devices"
    after = next(c for c in await page.context.cookies() if c["name"] == "portal_console")
    assert after["value"] != before["value"]
    async with services.db.read_session() as session:
        stale = await session.scalar(
            select(ConsoleSession.id).where(
                ConsoleSession.last_seen_at < utcnow() - timedelta(minutes=30)
            )
        )
    assert stale is None


async def test_a_location_with_devices_is_not_deleted_and_says_why(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    await sign_in(page, actor.user.email, "/locations/new")
    await page.get_by_label("Name", exact=True).fill("Warehouse South")
    await page.get_by_label("Time zone").select_option("Asia/Tokyo")
    await click_through(page, page.get_by_role("button", name="Add location"))
    await page.get_by_role("link", name="Warehouse South").click()
    await page.get_by_label("Area name").fill("Dock A")
    await click_through(page, page.get_by_role("button", name="Add area"))
    await expect(page.get_by_role("status")).to_have_text("Area Dock A added.")
    await axe(page)
    await screenshots(page, "console-location")
    location_url = page.url

    await page.goto("/devices/new")
    await page.get_by_label("Serial number").fill("SOUTH-0001")
    await page.get_by_label("MAC address").fill("02:00:00:00:00:01")
    await page.get_by_label("Model").fill("TC-200")
    await page.get_by_label("Area").select_option(label="Warehouse South · Dock A")
    await click_through(page, page.get_by_role("button", name="Register device"))
    await expect(page.get_by_role("row", name=re.compile("SOUTH-0001"))).to_contain_text(
        "Warehouse South · Dock A"
    )

    await page.goto(location_url)
    await page.get_by_role("link", name="Delete location").click()
    await click_through(page, page.get_by_role("button", name="Delete location"))
    assert page.url == location_url
    await expect(page.get_by_role("alert")).to_contain_text("still holds devices")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Warehouse South")
