"""Settings → Provisioning (SCIM) in chromium: the Super Admin sees the base URL, creates the
token (shown once) that a directory then provisions with, replaces and revokes it after a
confirmation; an Admin is refused the page."""

from __future__ import annotations

from playwright.async_api import expect

from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.factories import unique_email
from tests.scim.support import Scim, assert_error
from tests.support.server import LiveServer


async def test_a_super_admin_sets_up_provisioning(
    new_page: NewPage, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    page = await new_page()
    await sign_in(page, owner.user.email, "/settings")
    await click_through(page, page.get_by_role("link", name="Set up provisioning"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Provisioning (SCIM)")
    base_url = live.settings.public_url + "/scim/v2"
    await expect(page.locator("#scim-base-url")).to_have_text(base_url)
    await expect(page.get_by_text("None yet")).to_be_visible()
    await axe(page)

    await click_through(page, page.get_by_role("button", name="Create token"))
    await expect(page.get_by_role("status").filter(has_text="shown only this once")).to_be_visible()
    token = (await page.locator("#scim-token").inner_text()).strip()
    assert token.startswith("cpscim_")
    await axe(page)
    await screenshots(page, "console-scim-token")

    # The directory provisions with it; the page then shows when it was last used.
    directory = Scim(live, token)
    assert (await directory.create(unique_email("okta"))).status_code == 201
    await click_through(page, page.get_by_role("link", name="I have stored the token"))
    await expect(page.get_by_text(f"…{token[-4:]}")).to_be_visible()
    await expect(page.get_by_text("last used never")).to_have_count(0)
    await axe(page)
    await screenshots(page, "console-scim")

    # Replacing asks first; the old token is refused at once.
    await click_through(page, page.get_by_role("link", name="Replace token"))
    await expect(page.get_by_text("Replace the SCIM token?")).to_be_visible()
    await click_through(page, page.get_by_role("button", name="Replace token"))
    replacement = (await page.locator("#scim-token").inner_text()).strip()
    assert replacement != token
    assert_error(await directory.request("GET", "/Users"), 401)

    # Revoking asks first; Cancel keeps it.
    await page.goto("/settings/provisioning")
    await click_through(page, page.get_by_role("link", name="Revoke token"))
    await click_through(page, page.get_by_role("link", name="Cancel"))
    await click_through(page, page.get_by_role("link", name="Revoke token"))
    await click_through(page, page.get_by_role("button", name="Revoke token"))
    await expect(page.get_by_role("status")).to_contain_text("SCIM token revoked.")
    await expect(page.get_by_text("None yet")).to_be_visible()
    await expect(page.get_by_role("heading", name="Earlier tokens")).to_be_visible()
    assert_error(await Scim(live, replacement).request("GET", "/Users"), 401)

    phone = await new_page(390)
    await sign_in(phone, owner.user.email, "/settings/provisioning")
    await axe(phone)
    await screenshots(phone, "console-scim-phone")


async def test_an_admin_is_refused(new_page: NewPage, live: LiveServer, services: Services) -> None:
    owner = await customer(services)
    admin = await customer(services, role=Role.ADMIN, organization=owner.organization)
    page = await new_page()
    await sign_in(page, admin.user.email, "/settings")
    await expect(page.get_by_role("link", name="Set up provisioning")).to_have_count(0)
    response = await page.request.get(f"{live.url}/settings/provisioning")
    assert response.status == 403
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert csrf
    forged = await page.request.post(
        f"{live.url}/settings/provisioning/new",
        form={"csrf_token": csrf},
        headers={"Origin": live.url},
    )
    assert forged.status == 403
