"""The TOTP step of the hosted login in a real browser — the code page after the password, and
the setup an organization's requirement forces — without script, passing axe-core, photographed
at phone and desktop width."""

from __future__ import annotations

from playwright.async_api import Page, expect
from sqlalchemy import update

from db.models import Organization
from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, Screenshots
from tests.factories import DEFAULT_PASSWORD, create_actor
from tests.support.server import LiveServer
from tests.two_factor.support import code, enable_totp


async def sign_in_with_password(page: Page, email: str) -> None:
    await page.goto("/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.get_by_role("button", name="Login").click()


async def test_the_code_step_after_the_password(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await create_actor(services, role=Role.ADMIN, with_password=True)
    secret, _ = await enable_totp(live, actor)
    await sign_in_with_password(page, actor.user.email)
    assert page.url == f"{live.url}/login/totp"
    assert await page.get_by_role("heading", level=1).inner_text() == "Two-factor authentication"
    field = page.get_by_label("Authentication code")
    assert await field.get_attribute("autocomplete") == "one-time-code"
    assert await field.get_attribute("aria-describedby") == "code-hint"
    await axe(page)
    await screenshots(page, "login-totp")

    await field.fill("000000" if code(secret, steps=1) != "000000" else "111111")
    await page.get_by_role("button", name="Verify").click()
    field = page.get_by_label("Authentication code")
    assert await field.get_attribute("aria-invalid") == "true"
    assert await field.get_attribute("aria-describedby") == "code-hint code-error"
    assert "not valid" in await page.locator("#code-error").inner_text()
    await axe(page)
    await screenshots(page, "login-totp-error")

    await field.fill(code(secret, steps=1))
    await page.get_by_role("button", name="Verify").click()
    # Signed in with no application waiting: the web console.
    await expect(
        page.get_by_role("navigation").get_by_role("button", name="Log out")
    ).to_be_visible()


async def test_the_setup_an_organization_requires(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await create_actor(services, role=Role.USER, with_password=True)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == actor.organization.id)
            .values(require_mfa=True)
        )
    await sign_in_with_password(page, actor.user.email)
    assert page.url == f"{live.url}/login/totp/setup"
    heading = page.get_by_role("heading", level=1)
    assert await heading.inner_text() == "Set up two-factor authentication"
    qr = page.get_by_role("img", name="QR code for your authenticator app", exact=False)
    assert await qr.is_visible()
    secret = (await page.locator("#setup-key").inner_text()).replace(" ", "")
    assert len(secret) == 32
    await axe(page)
    await screenshots(page, "login-totp-setup")

    await page.get_by_label("Authentication code").fill(code(secret))
    await page.get_by_role("button", name="Turn on and continue").click()
    assert await heading.inner_text() == "Save your recovery codes"
    assert await page.locator(".recovery-codes li").count() == 10
    await axe(page)
    await screenshots(page, "login-recovery-codes")
    await page.get_by_role("link", name="I have saved them, continue").click()
    # Signed in with no application waiting: the web console.
    await expect(
        page.get_by_role("navigation").get_by_role("button", name="Log out")
    ).to_be_visible()
