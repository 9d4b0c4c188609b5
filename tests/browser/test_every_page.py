"""Every hosted self-service page, empty and with errors: axe-core finds no serious or critical
violation, and a screenshot at phone and desktop width is saved under test-artifacts/."""

from __future__ import annotations

from playwright.async_api import Page, expect

from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import register
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import activation_link, activation_mail, click_through
from tests.factories import DEFAULT_PASSWORD, create_actor
from tests.identity.oidc import AuthRequest, register_client
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
        await click_through(page, page.get_by_role("button", name=button))
        assert page.url == f"{live.url}{path}"
        assert await page.locator("[aria-invalid=true]").count() >= 1
        await _audit(page, name, axe, screenshots)

    form = await register(live)
    mail = await activation_mail(smtp, form["email"])
    await page.goto(activation_link(mail))
    await _audit(page, "activate", axe, screenshots)
    await click_through(page, page.get_by_role("button", name="Complete Account Authorization"))
    assert await page.locator("[aria-invalid=true]").count() >= 1
    await _audit(page, "activate-errors", axe, screenshots)


async def test_the_signed_in_pages_pass_axe_at_both_widths(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    """Signed in: the "you are signed in" page, a third-party client's consent screen, and the
    logout confirmation."""
    member = await create_actor(services, role=Role.ADMIN, with_password=True)
    third_party = await register_client(services, third_party=True)
    await page.goto(AuthRequest(third_party).url())
    await page.get_by_label("Email", exact=True).fill(member.user.email)
    await page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    await page.get_by_role("button", name="Login").click()
    await page.wait_for_url(f"{live.url}/consent**")
    assert await page.get_by_role("button", name="Allow").is_visible()
    await _audit(page, "consent", axe, screenshots)

    await page.goto("/login")
    # Signed in with no application waiting: the web console.
    await expect(
        page.get_by_role("navigation").get_by_role("button", name="Log out")
    ).to_be_visible()
    await _audit(page, "signed-in-console", axe, screenshots)
    await page.goto("/logout")
    await _audit(page, "logout-confirm", axe, screenshots)
