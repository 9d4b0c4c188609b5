"""Every hosted self-service page, empty and with errors: axe-core finds no serious or critical
violation, and a screenshot at phone and desktop width is saved under test-artifacts/."""

from __future__ import annotations

from playwright.async_api import Page

from tests.accounts.journeys import register
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import activation_link, activation_mail
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink

STATIC_PAGES = {
    "login": "/login",
    "register": "/register",
    "partner-join": "/partner/join",
    "resend-activation": "/activate/resend",
    "check-email": "/check-email",
    "terms": "/legal/terms",
    "privacy": "/legal/privacy",
    "activate-incomplete-link": "/activate",
}


async def _audit(page: Page, name: str, axe: Axe, screenshots: Screenshots) -> None:
    await axe(page)
    await screenshots(page, name)
    await axe(page)  # and at the other width (screenshots leaves it at desktop width)


async def test_every_page_passes_axe_at_both_widths(
    page: Page, live: LiveServer, smtp: SmtpSink, axe: Axe, screenshots: Screenshots
) -> None:
    for name, path in STATIC_PAGES.items():
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.goto(path)
        await _audit(page, name, axe, screenshots)

    # The forms with every field wrong (submitted empty).
    for name, path, button in (
        ("register-errors", "/register", "Create organization"),
        ("partner-join-errors", "/partner/join", "Send request"),
        ("resend-activation-errors", "/activate/resend", "Send activation email"),
    ):
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.goto(path)
        await page.get_by_role("button", name=button).click()
        await page.wait_for_url(f"{live.url}{path}")
        assert await page.locator("[aria-invalid=true]").count() >= 1
        await _audit(page, name, axe, screenshots)

    form = await register(live)
    mail = await activation_mail(smtp, form["email"])
    await page.goto(activation_link(mail))
    await _audit(page, "activate", axe, screenshots)
    await page.get_by_role("button", name="Complete Account Authorization").click()
    await page.wait_for_load_state()
    assert await page.locator("[aria-invalid=true]").count() >= 1
    await _audit(page, "activate-errors", axe, screenshots)
