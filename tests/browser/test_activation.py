"""The activation page's refusals in a real browser: a wrong code, a weak password, two passwords
that differ, and an expired code that the page explains and replaces through a resend."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from playwright.async_api import Page
from sqlalchemy import select, update

from db.models import AccountToken, OutboxMessage, User
from kit.clock import utcnow
from runtime import Services
from tests.accounts.journeys import Mail, register
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import (
    GOOD_PASSWORD,
    activate,
    activation_link,
    activation_mail,
    click_through,
    error_of,
)
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


async def _registered(live: LiveServer, smtp: SmtpSink) -> tuple[str, Mail]:
    form = await register(live)
    return form["email"], await activation_mail(smtp, form["email"])


def _swapped(code: str) -> str:
    """Another valid-looking code of the same length."""
    return code[1:] + code[0] if len(set(code)) > 1 else "ABCDEFGH"


async def test_wrong_code_weak_password_and_mismatch_are_shown_next_to_their_fields(
    page: Page, live: LiveServer, smtp: SmtpSink, axe: Axe, screenshots: Screenshots
) -> None:
    _, mail = await _registered(live, smtp)
    link = activation_link(mail)

    await activate(page, mail, code=_swapped(mail.activation_code))
    assert page.url == link  # back on the form (POST-redirect-GET), token kept
    assert await error_of(page, "Activation code") == "The activation code is not correct."
    # The typed code is kept, a password never is.
    assert await page.get_by_label("Activation code").input_value() == _swapped(
        mail.activation_code
    )
    assert await page.get_by_label("New password", exact=True).input_value() == ""
    assert GOOD_PASSWORD not in await page.content()
    await axe(page)
    await screenshots(page, "activate-wrong-code")

    await activate(page, mail, password="password1234567")
    assert "common" in (await error_of(page, "New password")).lower()
    await activate(page, mail, password="short")
    assert "at least 15 characters" in await error_of(page, "New password")

    await page.get_by_label("Activation code").fill(mail.activation_code)
    await page.get_by_label("New password", exact=True).fill(GOOD_PASSWORD)
    await page.get_by_label("Repeat the new password").fill(GOOD_PASSWORD + "!")
    await click_through(page, page.get_by_role("button", name="Complete Account Authorization"))
    assert await error_of(page, "Repeat the new password") == "The two passwords do not match."

    await activate(page, mail)
    assert urlsplit(page.url).path == "/login"
    assert "Your account is verified successfully." in await page.get_by_role("status").inner_text()


async def test_an_expired_code_is_explained_and_replaced_by_a_resend(
    page: Page, live: LiveServer, services: Services, smtp: SmtpSink, axe: Axe
) -> None:
    email, mail = await _registered(live, smtp)
    # A day passes: the code expires, and the first mail leaves the mail guard's window.
    async with services.db.unit_of_work() as session:
        user_id = (await session.scalars(select(User.id).where(User.email == email))).one()
        await session.execute(
            update(AccountToken)
            .where(AccountToken.user_id == user_id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient == email)
            .values(created_at=utcnow() - timedelta(days=1))
        )

    await activate(page, mail)
    assert "has expired" in await error_of(page, "Activation code")
    await axe(page)
    await page.get_by_role("link", name="Request a new activation email").first.click()
    await page.wait_for_url(f"{live.url}/activate/resend")
    await page.get_by_label("Email").fill(email)
    await page.get_by_role("button", name="Send activation email").click()
    await page.wait_for_url(f"{live.url}/check-email")
    assert email in await page.locator("main").inner_text()
    await axe(page)

    fresh = await activation_mail(smtp, email, count=2)
    assert fresh.activation_token != mail.activation_token
    await activate(page, fresh)
    assert urlsplit(page.url).path == "/login"
    assert "Your account is verified successfully." in await page.get_by_role("status").inner_text()


async def test_a_locked_code_is_explained_with_a_way_to_a_new_email(
    page: Page, live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    _, mail = await _registered(live, smtp)
    attempts = services.settings.activation_max_attempts
    for _ in range(attempts):
        await activate(page, mail, code=_swapped(mail.activation_code))
    assert "locked" in await error_of(page, "Activation code")
    # Now even the right code is refused, and the page says why.
    await activate(page, mail)
    assert "locked" in await error_of(page, "Activation code")
    resend = page.get_by_role("link", name="Request a new activation email").first
    assert await resend.get_attribute("href") == "/activate/resend"
