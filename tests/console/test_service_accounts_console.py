"""Settings → Service accounts in chromium: a Super Admin creates one with a role (the secret shown
once), a system uses it at the token endpoint, the list shows when it was last used; rotating and
revoking ask first and take effect at once. A User is refused the page."""

from __future__ import annotations

from playwright.async_api import Page, expect

from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import customer, sign_in
from tests.service_accounts.support import token_response
from tests.support.gql import data
from tests.support.server import LiveServer

VIEWER = "{ viewer { role organization { id } } }"


async def _credentials(page: Page) -> tuple[str, str]:
    client_id = (await page.locator("#client-id").inner_text()).strip()
    secret = (await page.locator("#client-secret").inner_text()).strip()
    return client_id, secret


async def test_a_super_admin_creates_rotates_and_revokes_a_service_account(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    await sign_in(page, actor.user.email, "/settings")
    await click_through(page, page.get_by_role("link", name="Manage service accounts"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Service accounts")
    await expect(page.get_by_text("No service accounts yet.")).to_be_visible()

    await click_through(page, page.get_by_role("link", name="Create service account"))
    await click_through(page, page.get_by_role("button", name="Create service account"))
    assert "name" in (await error_of(page, "Name")).lower()
    await axe(page)
    await page.get_by_label("Name").fill("VMS sync")
    await page.get_by_label("Role").select_option("ADMIN")
    await click_through(page, page.get_by_role("button", name="Create service account"))
    statuses = page.get_by_role("status")
    await expect(statuses.filter(has_text="shown only this once")).to_be_visible()
    await expect(statuses.filter(has_text="Service account VMS sync created.")).to_be_visible()
    client_id, secret = await _credentials(page)
    assert client_id.startswith("sa_") and secret.startswith("cpsa_")
    await axe(page)
    await screenshots(page, "console-service-account-secret")

    # A system uses it: its token acts in this organization, as an Admin.
    response = await token_response(live, client_id, secret)
    assert response.status_code == 200, response.text
    viewer = (await data(live, response.json()["access_token"], VIEWER))["viewer"]
    assert viewer == {"role": "ADMIN", "organization": {"id": str(actor.organization.id)}}

    done = page.get_by_role("link", name="I have stored the secret")
    await expect(done).to_have_attribute("href", "/settings/service-accounts")
    # The audit log names it as the actor of what it did.
    await page.goto("/audit-log")
    used = page.get_by_role("row").filter(has_text="service_account.token_issued")
    await expect(used).to_contain_text("Service account VMS sync")
    await page.goto("/settings/service-accounts")
    row = page.get_by_role("row").filter(has_text="VMS sync")
    await expect(row).to_contain_text("Admin")
    await expect(row).to_contain_text(client_id)
    await expect(row).to_contain_text(secret[-4:])
    await expect(row).not_to_contain_text("Never")
    await axe(page)
    await screenshots(page, "console-service-accounts")

    # Rotating asks first, then shows the new secret once; the old one is refused at once.
    await click_through(page, page.get_by_role("link", name="Rotate secret of VMS sync"))
    await expect(page.get_by_text("Replace the secret of VMS sync?")).to_be_visible()
    await axe(page)
    await click_through(page, page.get_by_role("button", name="Rotate secret"))
    same_id, new_secret = await _credentials(page)
    assert same_id == client_id and new_secret != secret
    old = await token_response(live, client_id, secret)
    assert old.json()["error"] == "invalid_client"
    assert (await token_response(live, client_id, new_secret)).status_code == 200

    # Revoking asks first; Cancel keeps it.
    await page.goto("/settings/service-accounts")
    await click_through(page, page.get_by_role("link", name="Revoke VMS sync"))
    await expect(page.get_by_text("Revoke VMS sync?")).to_be_visible()
    await click_through(page, page.get_by_role("link", name="Cancel"))
    await expect(page.get_by_role("row").filter(has_text="VMS sync")).to_have_count(1)
    await click_through(page, page.get_by_role("link", name="Revoke VMS sync"))
    await click_through(page, page.get_by_role("button", name="Revoke service account"))
    await expect(page.get_by_role("status")).to_contain_text("Service account revoked.")
    await expect(page.get_by_text("No service accounts yet.")).to_be_visible()
    gone = await token_response(live, client_id, new_secret)
    assert gone.json()["error"] == "invalid_client"


async def test_the_page_at_phone_width_and_a_user_refused(
    new_page: NewPage, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    user = await customer(services, role=Role.USER, organization=owner.organization)
    phone = await new_page(390)
    await sign_in(phone, owner.user.email, "/settings/service-accounts/new")
    await phone.get_by_label("Name").fill("Backup exporter")
    await click_through(phone, phone.get_by_role("button", name="Create service account"))
    await expect(phone.locator("#client-secret")).to_be_visible()
    await phone.goto("/settings/service-accounts")
    await expect(phone.get_by_role("row").filter(has_text="Backup exporter")).to_contain_text(
        "User"
    )
    await axe(phone)
    await screenshots(phone, "console-service-accounts-phone")

    reader = await new_page()
    await sign_in(reader, user.user.email, "/settings")
    await expect(reader.get_by_role("link", name="Manage service accounts")).to_have_count(0)
    response = await reader.request.get(f"{live.url}/settings/service-accounts")
    assert response.status == 403
    # Even with a valid CSRF token the console refuses what it would not offer.
    csrf = await reader.locator("input[name=csrf_token]").first.get_attribute("value")
    assert csrf
    forged = await reader.request.post(
        f"{live.url}/settings/service-accounts/new",
        form={"name": "Mine", "role": "ADMIN", "csrf_token": csrf},
        headers={"Origin": live.url},
    )
    assert forged.status == 403
    assert "form expired" not in await forged.text()  # refused for the role, not the token
    # ... and the Super Admin's own browser without the token revokes nothing.
    listed = await phone.get_by_role("link", name="Revoke Backup exporter").get_attribute("href")
    assert listed
    unguarded = await phone.request.post(f"{live.url}{listed}", form={})
    assert unguarded.status == 403
    await phone.reload()
    await expect(phone.get_by_role("row").filter(has_text="Backup exporter")).to_have_count(1)
