"""The console's Account page in chromium: names, password (signs out the other sessions), two-factor
set-up with its recovery codes, and the invitations the person received — as a Super Admin, an
Admin and a User, axe-clean, at phone and desktop width. Every form is a plain POST (no script)."""

from __future__ import annotations

import base64
import re

from playwright.async_api import Page, expect

from domain.enums import Role
from domain.two_factor.totp import code_at, step_at
from kit.clock import utcnow
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import customer, sign_in
from tests.factories import DEFAULT_PASSWORD, Actor, rename_organization
from tests.support.server import LiveServer

INVITE = """
mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { userErrors { code } }
}
"""
NEW_PASSWORD = "a brand new passphrase for the console 77"


async def invite(services: Services, live: LiveServer, email: str, name: str) -> Actor:
    inviter = await customer(services)
    await rename_organization(services, inviter.organization.id, name)
    body = await live.graphql(
        INVITE, {"input": {"email": email, "role": "ADMIN"}}, headers=inviter.headers
    )
    assert body["data"]["inviteMember"]["userErrors"] == [], body
    return inviter


def current_code(page_secret: str) -> str:
    secret = page_secret.replace(" ", "")
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return code_at(raw, step_at(utcnow()))


async def test_a_user_names_themselves_and_answers_invitations(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services, role=Role.USER)
    await invite(services, live, actor.user.email, "Northwind Depot")
    await invite(services, live, actor.user.email, "Southgate Storage")
    await sign_in(page, actor.user.email, "/account")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Account")
    invitations = page.get_by_role("list", name="Invitations")
    await expect(invitations.get_by_role("listitem")).to_have_count(2)
    await axe(page)
    await screenshots(page, "console-account-user")

    # A name too long is refused beside its field; what was typed is kept.
    await page.get_by_label("First name").fill("A" * 150)
    await click_through(page, page.get_by_role("button", name="Save name"))
    assert "100" in await error_of(page, "First name")
    await page.get_by_label("First name").fill("Grace")
    await page.get_by_label("Last name").fill("Hopper")
    await click_through(page, page.get_by_role("button", name="Save name"))
    await expect(page.get_by_role("status")).to_contain_text("Your name was saved.")
    await expect(page.get_by_label("First name")).to_have_value("Grace")
    await expect(page.get_by_text("Grace Hopper").first).to_be_visible()

    # Accept one invitation (the organization joins the switcher), decline the other.
    await click_through(
        page, page.get_by_role("button", name="Accept the invitation of Northwind Depot")
    )
    await expect(page.get_by_role("status")).to_contain_text("Invitation accepted")
    await expect(page.get_by_role("option", name="Northwind Depot")).to_have_count(1)
    await click_through(
        page, page.get_by_role("button", name="Decline the invitation of Southgate Storage")
    )
    await expect(page.get_by_role("status")).to_contain_text("Invitation declined.")
    await expect(page.get_by_text("No invitations are waiting for your answer.")).to_be_visible()
    await axe(page)


async def test_an_admin_sees_the_account_page(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services, role=Role.ADMIN)
    await sign_in(page, actor.user.email, "/account")
    await expect(page.get_by_role("heading", level=2, name="Two-factor login")).to_be_visible()
    await expect(page.get_by_text("No invitations are waiting for your answer.")).to_be_visible()
    await axe(page)
    await screenshots(page, "console-account-admin")


async def test_a_super_admin_sets_up_two_factor_and_changes_the_password(
    new_page: NewPage, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    page = await new_page()
    elsewhere = await new_page()
    await sign_in(page, actor.user.email, "/account")
    await sign_in(elsewhere, actor.user.email, "/account")

    # Two-factor: the password again, then the key and a QR code, then a code from the app.
    await page.get_by_label("Your password").fill("not my password at all, sorry")
    await click_through(page, page.get_by_role("button", name="Set up two-factor login"))
    assert "incorrect" in await error_of(page, "Your password")
    await page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    await click_through(page, page.get_by_role("button", name="Set up two-factor login"))
    assert page.url == f"{live.url}/account/two-factor"
    await expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    secret = await page.locator("code.secret").inner_text()
    await axe(page)
    await screenshots(page, "console-two-factor-setup")
    await page.get_by_label("Code from your app").fill("000000")
    await click_through(page, page.get_by_role("button", name="Turn on two-factor login"))
    assert await error_of(page, "Code from your app")
    await page.get_by_label("Code from your app").fill(current_code(secret))
    await click_through(page, page.get_by_role("button", name="Turn on two-factor login"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor login is on")
    codes = page.locator(".codes code")
    await expect(codes).to_have_count(10)
    await axe(page)
    await screenshots(page, "console-recovery-codes")
    await page.get_by_role("link", name="I have kept them").click()
    await expect(page.locator(".facts")).to_contain_text("On")

    # New recovery codes with the password; then off with the password.
    await page.get_by_label("Or your password").first.fill(DEFAULT_PASSWORD)
    await click_through(page, page.get_by_role("button", name="Make new recovery codes"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("New recovery codes")
    await expect(codes).to_have_count(10)
    await page.get_by_role("link", name="I have kept them").click()
    await axe(page)
    await screenshots(page, "console-account-two-factor-on")
    await page.get_by_label("Or your password").last.fill(DEFAULT_PASSWORD)
    await click_through(page, page.get_by_role("button", name="Turn off two-factor login"))
    await expect(page.get_by_role("status")).to_contain_text("Two-factor login is off.")

    # Password: a wrong current one and two different new ones are refused beside their fields.
    await page.get_by_label("Current password").fill("wrong current password here")
    await page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    await page.get_by_label("New password again").fill(NEW_PASSWORD)
    await click_through(page, page.get_by_role("button", name="Change password"))
    assert "incorrect" in await error_of(page, "Current password")
    await page.get_by_label("Current password").fill(DEFAULT_PASSWORD)
    await page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    await page.get_by_label("New password again").fill(NEW_PASSWORD + "x")
    await click_through(page, page.get_by_role("button", name="Change password"))
    assert "differ" in await error_of(page, "New password again")
    await page.get_by_label("Current password").fill(DEFAULT_PASSWORD)
    await page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    await page.get_by_label("New password again").fill(NEW_PASSWORD)
    await click_through(page, page.get_by_role("button", name="Change password"))
    # This session stays signed in, on the Account page, with the news.
    assert page.url.startswith(f"{live.url}/account")
    await expect(page.get_by_role("status")).to_contain_text("Your password was changed.")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Account")
    await axe(page)
    await screenshots(page, "console-password-changed")
    rows = page.get_by_role("region", name="Your sessions").get_by_role("row")
    await expect(rows).to_have_count(2)  # the header and this session
    await page.goto("/devices")
    assert page.url == f"{live.url}/devices"

    # The other browser's session ended: it signs in again, and only the new password works.
    await elsewhere.goto("/account")
    assert "/login" in elsewhere.url
    await elsewhere.get_by_label("Email").fill(actor.user.email)
    await elsewhere.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await click_through(elsewhere, elsewhere.get_by_role("button", name="Login"))
    assert "/login" in elsewhere.url
    await elsewhere.get_by_label("Email").fill(actor.user.email)
    await elsewhere.get_by_label("Password").fill(NEW_PASSWORD)
    await click_through(elsewhere, elsewhere.get_by_role("button", name="Login"))
    await expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Account")
    assert elsewhere.url == f"{live.url}/account"


async def test_a_person_signs_out_their_other_sessions(
    new_page: NewPage, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    page, second, third = await new_page(), await new_page(), await new_page()
    for browser in (page, second, third):
        await sign_in(browser, actor.user.email, "/account")
    await page.reload()
    rows = page.get_by_role("region", name="Your sessions").get_by_role("row")
    await expect(rows).to_have_count(4)  # the header and three sessions
    await expect(page.get_by_text("This session")).to_have_count(1)
    await expect(rows.filter(has_text="This session").get_by_role("button")).to_have_count(0)
    assert "Chrome on Linux" in await rows.nth(1).inner_text()
    await axe(page)
    await screenshots(page, "console-account-sessions")

    # One of them: that browser is asked to sign in again; the others stay.
    await click_through(page, rows.get_by_role("button", name=re.compile("^Sign out")).first)
    await expect(page.get_by_role("status")).to_contain_text("That session is signed out.")
    await expect(rows).to_have_count(3)
    ended = []
    for browser in (second, third):
        await browser.goto("/account")
        ended.append("/login" in browser.url)
    assert sorted(ended) == [False, True]

    # All others: only this one is left, and this one still works.
    await click_through(page, page.get_by_role("button", name="Sign out all other sessions"))
    await expect(page.get_by_role("status")).to_contain_text("1 other session signed out.")
    await expect(rows).to_have_count(2)
    for browser in (second, third):
        await browser.goto("/account")
        assert "/login" in browser.url
    await page.goto("/account")
    assert page.url == f"{live.url}/account"
