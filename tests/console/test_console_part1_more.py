"""More of the customer console in chromium: the devices table's filters (location, area,
status), renaming and deleting an area, and transferring the Super Admin role (with a
confirmation) — axe-clean, at phone and desktop width, as the roles that may and may not."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect
from sqlalchemy import update

from db.models import Device
from domain.enums import DeviceStatus, Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.factories import create_device


async def test_devices_are_filtered_by_location_area_and_status(
    page: Page, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services, role=Role.USER)
    async with services.db.unit_of_work() as session:
        online = await create_device(session, actor.organization, name="Gate camera")
        offline = await create_device(session, actor.organization, name="Yard camera")
        await session.execute(
            update(Device).where(Device.id == offline.id).values(status=DeviceStatus.OFFLINE)
        )
        assert online.id != offline.id
    await sign_in(page, actor.user.email, "/devices")
    rows = page.get_by_role("region", name="Devices").get_by_role("row")
    await expect(rows).to_have_count(3)
    await page.get_by_label("Status").select_option("OFFLINE")
    await click_through(page, page.get_by_role("button", name="Search"))
    print(page.url, await page.get_by_role("region", name="Devices").inner_text())
    await expect(rows).to_have_count(2)
    await expect(rows.nth(1)).to_contain_text("Yard camera")
    assert "status=OFFLINE" in page.url
    await expect(page.get_by_label("Status")).to_have_value("OFFLINE")
    # The location and area choices name the organization's own.
    await page.get_by_label("Location").select_option(index=1)
    await page.get_by_label("Area").select_option(index=1)
    await page.get_by_label("Status").select_option("ONLINE")
    await click_through(page, page.get_by_role("button", name="Search"))
    await expect(rows).to_have_count(2)
    await expect(rows.nth(1)).to_contain_text("Gate camera")
    await axe(page)
    await screenshots(page, "console-devices-filtered")
    await page.get_by_label("Status").select_option("PENDING")
    await click_through(page, page.get_by_role("button", name="Search"))
    await expect(page.get_by_text("No devices match these filters.")).to_be_visible()


async def test_an_admin_renames_and_deletes_an_area(
    page: Page, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services, role=Role.ADMIN)
    await sign_in(page, actor.user.email, "/locations")
    await page.locator("main a[href^='/locations/']:not([href='/locations/new'])").first.click()
    await page.get_by_label("Area name").fill("Loading dock")
    await click_through(page, page.get_by_role("button", name="Add area"))
    await page.get_by_label("New name of Loading dock").fill("Dock 2")
    await click_through(page, page.get_by_role("button", name="Rename Loading dock"))
    await expect(page.get_by_role("status")).to_contain_text("Area renamed to Dock 2.")
    await axe(page)
    await screenshots(page, "console-location-areas")
    await page.get_by_role("link", name="Delete Dock 2").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Delete area")
    await click_through(page, page.get_by_role("button", name="Delete area"))
    await expect(page.get_by_role("status")).to_contain_text("Area deleted.")
    await expect(page.get_by_text("Dock 2")).to_have_count(0)


async def test_the_super_admin_transfers_the_role(
    new_page: NewPage, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    admin = await customer(services, role=Role.ADMIN, organization=owner.organization)
    page = await new_page()
    await sign_in(page, owner.user.email, "/users")
    await page.get_by_role(
        "link", name=re.compile(f"^Make Super Admin.*{re.escape(admin.user.email)}")
    ).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Transfer Super Admin")
    await axe(page)
    await screenshots(page, "console-transfer-super-admin")
    await click_through(page, page.get_by_role("button", name="Transfer Super Admin"))
    await expect(page.get_by_role("status")).to_contain_text("you are an Admin now")
    await expect(page.get_by_role("link", name=re.compile("^Make Super Admin"))).to_have_count(0)

    # An Admin is offered no transfer, and a forged one is refused.
    other = await new_page()
    await sign_in(other, owner.user.email, "/users")  # the former owner, now an Admin
    await other.goto(f"/users/{admin.user.id}/transfer")
    await expect(other.get_by_role("heading", level=1)).not_to_have_text("Transfer Super Admin")
