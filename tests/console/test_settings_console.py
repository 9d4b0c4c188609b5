"""The console's Settings in chromium: the organization's details (Super Admin and Admin edit,
a User reads), the two-factor requirement and deleting the organization (Super Admin only, behind
a confirmation that says what still blocks it)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import customer, sign_in
from tests.factories import rename_organization
from tests.support.server import LiveServer


async def test_a_super_admin_edits_the_organization_and_cannot_delete_it_while_in_use(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    await rename_organization(services, actor.organization.id, "Harbor Logistics")
    await customer(services, role=Role.ADMIN, organization=actor.organization)
    await sign_in(page, actor.user.email, "/settings")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    await axe(page)
    await screenshots(page, "console-settings-super-admin")

    await page.get_by_label("Phone").fill("call me maybe")
    await click_through(page, page.get_by_role("button", name="Save details"))
    assert "phone number" in await error_of(page, "Phone")
    await page.get_by_label("Organization name").fill("Harbor Logistics North")
    await page.get_by_label("Address").fill("Kai 1\n20457 Hamburg")
    await page.get_by_label("Phone").fill("+49 40 1234567")
    await click_through(page, page.get_by_role("button", name="Save details"))
    await expect(page.get_by_role("status")).to_contain_text("Organization details saved.")
    await expect(page.get_by_label("Address")).to_have_value("Kai 1\n20457 Hamburg")
    await expect(page.locator(".org-name")).to_contain_text("Harbor Logistics North")

    # The requirement needs the Super Admin's own two-factor login first.
    await click_through(page, page.get_by_role("button", name="Require two-factor login"))
    await expect(page.get_by_role("alert")).to_contain_text("Turn on two-factor login")

    # Deleting: the name typed again, and what still blocks it.
    await page.get_by_role("link", name="Delete organization").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete Harbor Logistics North?"
    )
    await page.get_by_label("Type the organization's name to confirm").fill("Harbor")
    await click_through(page, page.get_by_role("button", name="Delete organization"))
    assert await error_of(page, "Type the organization's name to confirm")
    await page.get_by_label("Type the organization's name to confirm").fill(
        "Harbor Logistics North"
    )
    await click_through(page, page.get_by_role("button", name="Delete organization"))
    await expect(page.get_by_role("alert")).to_contain_text("1 member")
    await axe(page)
    await screenshots(page, "console-organization-delete-blocked")


async def test_an_admin_edits_details_and_a_user_reads_them(
    new_page: NewPage, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    admin = await customer(services, role=Role.ADMIN, organization=owner.organization)
    user = await customer(services, role=Role.USER, organization=owner.organization)
    page = await new_page()
    await sign_in(page, admin.user.email, "/settings")
    await expect(page.get_by_role("button", name="Require two-factor login")).to_have_count(0)
    await expect(page.get_by_role("link", name="Delete organization")).to_have_count(0)
    await page.get_by_label("Phone").fill("+1 555 0100")
    await click_through(page, page.get_by_role("button", name="Save details"))
    await expect(page.get_by_role("status")).to_contain_text("Organization details saved.")
    await axe(page)
    await screenshots(page, "console-settings-admin")

    reader = await new_page()
    await sign_in(reader, user.user.email, "/settings")
    await expect(reader.get_by_role("button", name="Save details")).to_have_count(0)
    await expect(reader.get_by_text("+1 555 0100")).to_be_visible()
    await axe(reader)
    await screenshots(reader, "console-settings-user")
    # A forged post is refused by the console itself.
    response = await reader.request.post(f"{live.url}/settings", form={"name": "Mine now"})
    assert response.status == 403
