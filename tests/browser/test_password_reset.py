"""Forgot and reset password in a real browser: from the login page's link to signing in with
the new password; both pages pass axe-core and are photographed at phone and desktop width."""

from __future__ import annotations

from playwright.async_api import Page, expect

from runtime import Services
from tests.accounts.journeys import delivered
from tests.accounts.reset_support import NEW_PASSWORD, reset_link
from tests.browser.conftest import Axe, Screenshots
from tests.factories import create_actor
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


async def test_forgot_and_reset_password_in_the_browser(
    page: Page,
    live: LiveServer,
    services: Services,
    smtp: SmtpSink,
    axe: Axe,
    screenshots: Screenshots,
) -> None:
    email = (await create_actor(services, with_password=True)).user.email
    await page.goto("/login")
    await page.get_by_role("link", name="Forgot password?").click()
    assert page.url == f"{live.url}/forgot-password"
    assert await page.get_by_role("heading", level=1).inner_text() == "Forgot your password?"
    await axe(page)
    await screenshots(page, "forgot-password")

    # A malformed address is explained next to the field (and the error is announced with it).
    await page.get_by_label("Email").fill("ada at example")
    await page.get_by_role("button", name="Send reset link").click()
    email_input = page.get_by_label("Email")
    assert await email_input.get_attribute("aria-invalid") == "true"
    assert await email_input.get_attribute("aria-describedby") == "email-error"
    await axe(page)

    await email_input.fill(email)
    await page.get_by_role("button", name="Send reset link").click()
    assert page.url == f"{live.url}/forgot-password"
    assert await page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert email in await page.get_by_role("status").inner_text()
    await axe(page)
    await screenshots(page, "forgot-password-sent")

    (mail,) = await delivered(smtp, email)
    assert mail.subject == "Reset your Cloud Portal password"
    await page.goto(reset_link(mail))
    assert await page.get_by_role("heading", level=1).inner_text() == "Choose a new password"
    assert "at least 15 characters" in await page.locator("#password-rules").inner_text()
    await axe(page)
    await screenshots(page, "reset-password")

    # A weak password: the rule it breaks appears under the field; nothing typed survives.
    await page.get_by_label("New password", exact=True).fill("tulips")
    await page.get_by_label("Repeat the new password").fill("tulips")
    await page.get_by_role("button", name="Set new password").click()
    field = page.get_by_label("New password", exact=True)
    assert await field.get_attribute("aria-invalid") == "true"
    assert "at least 15 characters" in await page.locator("#password-error").inner_text()
    assert await field.input_value() == ""
    await axe(page)
    await screenshots(page, "reset-password-error")

    await field.fill(NEW_PASSWORD)
    await page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Set new password").click()
    assert page.url == f"{live.url}/login"
    assert "Your password has been changed." in await page.get_by_role("status").inner_text()

    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Login").click()
    # Signed in with no application waiting: the web console.
    await expect(
        page.get_by_role("navigation").get_by_role("button", name="Log out")
    ).to_be_visible()

    (_, notice) = await delivered(smtp, email, 2)
    assert "was changed" in notice.text
