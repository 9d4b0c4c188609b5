"""The web console as a customer, in chromium: every screen as a Super Admin (with axe-core and
screenshots at phone and desktop width), the same screens as a USER (read only, forged posts
refused), the organization switcher, and registering a device at phone width."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect
from sqlalchemy import delete, func, select

from db.models import ConsoleSession, Device, Membership
from domain.enums import Role
from runtime import Services
from tests.browser.conftest import PHONE, Axe, NewPage, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import customer, sign_in
from tests.factories import (
    add_member,
    create_device,
    create_license,
    create_organization,
    rename_organization,
)
from tests.support.server import LiveServer

CUSTOMER_NAV = ["Locations", "Devices", "Users", "Licenses", "Partner", "Audit log", "Settings"]


async def assert_navigation(page: Page, links: list[str]) -> None:
    nav = page.get_by_role("navigation")
    for name in [*links, "Account"]:
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    await expect(nav.get_by_role("button", name="Log out")).to_be_visible()


async def test_a_super_admin_uses_every_customer_screen(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    await rename_organization(services, actor.organization.id, "Harbor Logistics")

    # Not signed in, / goes through the provider's login form and comes back to the home page.
    await sign_in(page, actor.user.email)
    assert page.url == f"{live.url}/"
    await expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Logistics")
    await assert_navigation(page, CUSTOMER_NAV)
    # Each menu name is one link on the page, so finding it needs no landmark.
    for name in [*CUSTOMER_NAV, "Account"]:
        await expect(page.get_by_role("link", name=name)).to_have_count(1)
    tiles = page.locator(".tile")
    assert await tiles.count() > 0
    for tile in await tiles.all():
        assert re.search(r"\b(Locked|Unlocked)\b", await tile.inner_text())
    await axe(page)
    await screenshots(page, "console-home")

    # Devices: the empty state says the next step.
    await page.get_by_role("navigation").get_by_role("link", name="Devices").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Devices")
    await expect(page.get_by_text("No devices yet")).to_be_visible()
    await axe(page)
    await screenshots(page, "console-devices-empty")
    await page.get_by_role("link", name="Register device").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Register device")
    await page.get_by_label("Serial number").fill("CAM-0001")
    await page.get_by_label("MAC address").fill("not a mac")
    await page.get_by_label("Model").fill("TC-200")
    await page.get_by_label("Name", exact=True).fill("Loading dock")
    await click_through(page, page.get_by_role("button", name="Register device"))
    # The refusal sits beside its field, and what was typed is kept.
    assert "MAC" in await error_of(page, "MAC address") or await error_of(page, "MAC address")
    await expect(page.get_by_label("Serial number")).to_have_value("CAM-0001")
    await axe(page)
    await screenshots(page, "console-register-device-error")
    await page.get_by_label("MAC address").fill("AA:BB:CC:00:11:22")
    await click_through(page, page.get_by_role("button", name="Register device"))
    assert page.url == f"{live.url}/devices"
    await expect(page.get_by_role("status")).to_contain_text("CAM-0001 registered")
    await expect(page.get_by_role("row", name=re.compile("CAM-0001"))).to_be_visible()
    await axe(page)
    await screenshots(page, "console-devices")

    # Search, then rename, move and remove (with a confirmation).
    await page.get_by_label("Search devices").fill("nothing-like-this")
    await click_through(page, page.get_by_role("button", name="Search"))
    await expect(page.get_by_text("No devices match")).to_be_visible()
    await page.get_by_label("Search devices").fill("cam-0001")
    await click_through(page, page.get_by_role("button", name="Search"))
    await page.get_by_role("link", name="Loading dock").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Loading dock")
    await axe(page)
    await screenshots(page, "console-device")
    await page.get_by_label("Name", exact=True).fill("Gate camera")
    await click_through(page, page.get_by_role("button", name="Rename device"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Gate camera")
    await expect(page.get_by_role("status")).to_have_text("Device renamed.")
    await click_through(page, page.get_by_role("button", name="Move device"))
    await expect(page.get_by_role("status")).to_have_text("Device moved.")
    await page.get_by_role("link", name="Remove device").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Remove device")
    await axe(page)
    await click_through(page, page.get_by_role("button", name="Remove device"))
    await expect(page.get_by_role("status")).to_have_text("Device removed.")
    await expect(page.get_by_text("No devices yet")).to_be_visible()

    # Locations: add (the time zone from a list), see it with its time zone, delete it.
    await page.get_by_role("navigation").get_by_role("link", name="Locations").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Locations")
    await axe(page)
    await screenshots(page, "console-locations")
    await page.get_by_role("link", name="Add location").click()
    await page.get_by_label("Name", exact=True).fill("Warehouse North")
    await page.get_by_label("Time zone").select_option("Europe/Berlin")
    await axe(page)
    await screenshots(page, "console-add-location")
    await click_through(page, page.get_by_role("button", name="Add location"))
    row = page.get_by_role("row", name=re.compile("Warehouse North"))
    await expect(row).to_contain_text("Europe/Berlin")
    await row.get_by_role("link", name="Warehouse North").click()
    await page.get_by_role("link", name="Delete location").click()
    await click_through(page, page.get_by_role("button", name="Delete location"))
    await expect(page.get_by_role("status")).to_have_text("Location deleted.")
    await expect(page.get_by_role("row", name=re.compile("Warehouse North"))).to_have_count(0)

    # Users: the members table; invite someone; the invitation is pending; cancel it.
    await page.get_by_role("navigation").get_by_role("link", name="Users").click()
    await expect(
        page.get_by_role("row", name=re.compile(re.escape(actor.user.email)))
    ).to_be_visible()
    await page.get_by_role("link", name="Invite user").click()
    await page.get_by_label("Email").fill("not-an-email")
    await click_through(page, page.get_by_role("button", name="Send invitation"))
    assert await error_of(page, "Email")
    await page.get_by_label("Email").fill("new.colleague@example.test")
    await page.get_by_label("Role").select_option("ADMIN")
    await axe(page)
    await screenshots(page, "console-invite-user")
    await click_through(page, page.get_by_role("button", name="Send invitation"))
    await expect(page.get_by_role("status")).to_contain_text("Invitation sent")
    await expect(page.get_by_role("row", name=re.compile("new.colleague"))).to_be_visible()
    await axe(page)
    await screenshots(page, "console-users")
    await page.get_by_role("link", name=re.compile("^Cancel invitation of")).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Cancel invitation")
    await expect(page.get_by_text("new.colleague@example.test")).to_be_visible()
    await click_through(page, page.get_by_role("button", name="Cancel invitation"))
    await expect(page.get_by_role("status")).to_have_text("Invitation cancelled.")

    # Licenses: the four counts; a wrong key is refused beside the field.
    await page.get_by_role("navigation").get_by_role("link", name="Licenses").click()
    for label in ["Available", "In use", "Expiring soon", "Expired"]:
        await expect(page.get_by_text(label, exact=True)).to_be_visible()
    await axe(page)
    await screenshots(page, "console-licenses")
    await page.get_by_role("link", name="Add license key").click()
    await page.get_by_label("License key").fill("NOPE-NOPE-NOPE-NOPE")
    await click_through(page, page.get_by_role("button", name="Add license key"))
    assert await error_of(page, "License key")
    await axe(page)
    await screenshots(page, "console-add-license-error")

    for name in ["Partner", "Audit log", "Settings", "Account"]:
        await page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(name)
        await axe(page)
    await screenshots(page, "console-account")

    # Partner: an unknown STEP code is refused beside its field.
    await page.get_by_role("navigation").get_by_role("link", name="Partner").click()
    await page.get_by_label("STEP partner code").fill("STEP-NOT-A-CODE")
    await click_through(page, page.get_by_role("button", name="Invite partner"))
    assert await error_of(page, "STEP partner code")
    await axe(page)
    await screenshots(page, "console-partner")
    # The audit log shows what this journey did.
    await page.get_by_role("navigation").get_by_role("link", name="Audit log").click()
    await expect(page.get_by_role("row", name=re.compile(r"device\.registered"))).to_have_count(1)
    await axe(page)
    await screenshots(page, "console-audit-log")

    # A missing device is the friendly 404 page.
    response = await page.goto("/devices/00000000-0000-0000-0000-000000000000")
    assert response is not None and response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    await axe(page)
    await screenshots(page, "console-404")


async def test_a_user_reads_and_changes_nothing(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    admin = await customer(services)
    reader = await customer(services, role=Role.USER, organization=admin.organization)
    async with services.db.unit_of_work() as session:
        device = await create_device(session, admin.organization, name="Lobby")
        for number in range(25):
            await create_device(session, admin.organization, name=f"Aisle {number:02}")
    await sign_in(page, reader.user.email, "/devices")
    assert page.url == f"{live.url}/devices"
    await expect(page.get_by_role("row", name=re.compile(device.serial_number))).to_be_visible()
    # 26 devices: a page of 25, then the last one.
    await expect(page.get_by_text("26 devices")).to_be_visible()
    assert await page.locator("tbody tr").count() == 25
    await page.get_by_role("link", name="Next page").click()
    assert await page.locator("tbody tr").count() == 1
    await page.get_by_role("link", name="First page").click()
    await expect(page.get_by_role("link", name="Register device")).to_have_count(0)
    await axe(page)
    await screenshots(page, "console-devices-as-user")
    await page.get_by_role("link", name="Lobby").click()
    await expect(page.get_by_role("button", name="Rename device")).to_have_count(0)
    for path, button in [
        ("/users", "Invite user"),
        ("/locations", "Add location"),
        ("/licenses", "Add license key"),
    ]:
        await page.goto(path)
        await expect(page.get_by_role("link", name=button)).to_have_count(0)
        # Filters (GET) stay; no form that changes data.
        await expect(page.locator("main form[method=post]")).to_have_count(0)
        await axe(page)

    # A forged post, with the session's own CSRF token, is refused by the console itself.
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    answer = await page.request.post(
        "/devices/new",
        form={
            "csrf_token": csrf or "",
            "kind": "CAMERA",
            "serialNumber": "FORGED-1",
            "macAddress": "AA:BB:CC:DD:EE:01",
            "model": "X",
        },
        max_redirects=0,
    )
    assert answer.status == 403
    page_for = await page.goto("/devices/new")
    assert page_for is not None and page_for.status == 403
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    await axe(page)
    await screenshots(page, "console-403")
    async with services.db.read_session() as session:
        forged = await session.scalar(
            select(func.count()).select_from(Device).where(Device.serial_number == "FORGED-1")
        )
    assert forged == 0

    # A post without the CSRF token is refused too (even a Super Admin's would be).
    answer = await page.request.post("/users/invite", form={"email": "x@example.test"})
    assert answer.status == 403


async def test_the_organization_switcher_and_a_phone(
    new_page: NewPage, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    await rename_organization(services, actor.organization.id, "First Site Co")
    async with services.db.unit_of_work() as session:
        second = await create_organization(session, name="Second Site Co")
        await add_member(session, actor.user, second, Role.ADMIN)
    page = await new_page(PHONE)
    await sign_in(page, actor.user.email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("First Site Co")
    await assert_navigation(page, CUSTOMER_NAV)
    switcher = page.get_by_label("Organization", exact=True)
    await expect(switcher).to_be_visible()
    await axe(page)
    await screenshots(page, "console-home-two-organizations")
    # The page's script submits on change; the button is there without it.
    async with page.expect_navigation():
        await switcher.select_option(label="Second Site Co")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Second Site Co")
    await expect(page.get_by_role("status")).to_contain_text("Second Site Co")
    # The choice is remembered by the session.
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Second Site Co")

    # Register a device at phone width, in the second organization.
    await page.set_viewport_size({"width": PHONE, "height": 844})
    await page.get_by_role("navigation").get_by_role("link", name="Devices").click()
    await page.get_by_role("link", name="Register device").click()
    await page.get_by_label("Serial number").fill("PHONE-0001")
    await page.get_by_label("MAC address").fill("aa-bb-cc-dd-ee-99")
    await page.get_by_label("Model").fill("TC-300")
    await page.get_by_label("Name", exact=True).fill("Back door")
    await click_through(page, page.get_by_role("button", name="Register device"))
    await expect(page.get_by_role("row", name=re.compile("PHONE-0001"))).to_be_visible()
    # A wide table scrolls in its own region; the page itself never scrolls sideways.
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE
    await axe(page)
    await screenshots(page, "console-devices-second-organization")
    async with services.db.read_session() as session:
        owner = await session.scalar(
            select(Device.organization_id).where(Device.serial_number == "PHONE-0001")
        )
        sessions = await session.scalar(select(func.count()).select_from(ConsoleSession))
    assert owner == second.id
    assert sessions and sessions >= 1

    # Removed from the organization it works in, the person falls back to the other one.
    async with services.db.unit_of_work() as session:
        await session.execute(
            delete(Membership).where(
                Membership.user_id == actor.user.id, Membership.organization_id == second.id
            )
        )
    await page.goto("/devices")
    assert page.url == f"{live.url}/"
    await expect(page.get_by_role("alert")).to_contain_text("no longer have access")
    await expect(page.get_by_role("heading", level=1)).to_have_text("First Site Co")


async def test_a_license_is_attached_to_a_device_and_detached(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    async with services.db.unit_of_work() as session:
        device = await create_device(session, actor.organization, name="Entrance")
        license, _ = await create_license(session, organization=actor.organization)
    await sign_in(page, actor.user.email, f"/devices/{device.id}")
    await expect(page.get_by_text("This device holds no license yet.")).to_be_visible()
    await page.get_by_label("License", exact=True).select_option(str(license.id))
    await click_through(page, page.get_by_role("button", name="Attach license"))
    await expect(page.get_by_role("status")).to_have_text("License attached.")
    await axe(page)
    await screenshots(page, "console-device-with-license")
    await page.get_by_role("navigation").get_by_role("link", name="Licenses").click()
    in_use = page.locator(".counts div", has_text="In use")
    await expect(in_use.locator("dd")).to_have_text("1")
    await page.goto(f"/devices/{device.id}")
    await click_through(page, page.get_by_role("button", name=re.compile("^Detach")))
    await expect(page.get_by_role("status")).to_have_text("License detached.")
    await expect(page.get_by_text("This device holds no license yet.")).to_be_visible()
