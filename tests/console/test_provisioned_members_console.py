"""Users in chromium, after the directory provisioned people over SCIM: the members it manages
carry "Provisioned", a member it deactivated shows "Suspended by your directory" (not active), and
a role change or removal of a provisioned member says that the directory's next sync wins."""

from __future__ import annotations

from playwright.async_api import expect

from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.factories import create_actor, unique_email
from tests.scim.support import Scim, create_token
from tests.support.server import LiveServer


async def test_the_users_page_shows_what_provisioning_did(
    new_page: NewPage, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    directory = Scim(live, await create_token(live, owner))
    newcomer = unique_email("newcomer")
    leaver = unique_email("leaver")
    signs_in = await create_actor(services, role=Role.USER)  # elsewhere, can sign in
    for email in (newcomer, leaver, signs_in.user.email):
        assert (await directory.create(email)).status_code == 201
    left = await directory.request("GET", "/Users", params={"filter": f'userName eq "{leaver}"'})
    (resource,) = left.json()["Resources"]
    deactivated = await directory.patch(
        resource["id"], {"op": "replace", "path": "active", "value": False}
    )
    assert deactivated.status_code == 200, deactivated.text
    by_hand = await create_actor(services, role=Role.ADMIN, organization=owner.organization)

    page = await new_page()
    await sign_in(page, owner.user.email, "/users")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    note = page.locator("#provisioned-note")
    await expect(note).to_contain_text("managed by your company directory")
    await expect(note.get_by_role("link", name="Provisioning")).to_have_attribute(
        "href", "/settings/provisioning"
    )

    def row(email: str):  # type: ignore[no-untyped-def]
        return page.get_by_role("row").filter(has_text=email)

    await expect(row(newcomer)).to_contain_text("Provisioned")
    await expect(row(newcomer)).to_contain_text("Pending activation")
    await expect(row(leaver)).to_contain_text("Provisioned")
    await expect(row(leaver)).to_contain_text("Suspended by your directory")
    await expect(row(leaver).get_by_text("Active", exact=True)).to_have_count(0)
    await expect(row(signs_in.user.email)).to_contain_text("Provisioned")
    await expect(row(signs_in.user.email).get_by_text("Active", exact=True)).to_have_count(1)
    await expect(row(by_hand.user.email)).not_to_contain_text("Provisioned")
    await expect(row(by_hand.user.email).get_by_text("Active", exact=True)).to_have_count(1)
    await expect(row(owner.user.email)).not_to_contain_text("Provisioned")
    await axe(page)
    await screenshots(page, "console-users-provisioned")

    # A role change of a provisioned member is made, and says the directory may set it back.
    member = row(newcomer)
    await member.get_by_label(f"Role of {newcomer}").select_option("ADMIN")
    await click_through(page, member.get_by_role("button", name=f"Change role of {newcomer}"))
    await expect(page.get_by_role("status")).to_contain_text("Role changed.")
    await expect(page.get_by_role("status")).to_contain_text("next sync may set the role back")
    # One made by hand says nothing of the kind.
    hand = row(by_hand.user.email)
    await hand.get_by_label(f"Role of {by_hand.user.email}").select_option("USER")
    await click_through(
        page, hand.get_by_role("button", name=f"Change role of {by_hand.user.email}")
    )
    await expect(page.get_by_role("status")).to_have_text("Role changed.")

    # Removing one: the confirmation explains the directory's next sync.
    await click_through(page, row(leaver).get_by_role("link", name=f"Remove {leaver}"))
    await expect(page.get_by_text("unless it removes them too")).to_be_visible()
    await axe(page)
    await screenshots(page, "console-users-remove-provisioned")
    await click_through(page, page.get_by_role("button", name="Remove user"))
    await expect(page.get_by_role("status")).to_contain_text("User removed.")
    await expect(row(leaver)).to_have_count(0)

    # A member who is not an administrator sees the markers, without the settings link.
    await page.context.clear_cookies()
    viewer = await customer(services, role=Role.USER, organization=owner.organization)
    await sign_in(page, viewer.user.email, "/users")
    await expect(row(newcomer)).to_contain_text("Provisioned")
    await expect(page.locator("#provisioned-note").get_by_role("link")).to_have_count(0)
    await axe(page)
