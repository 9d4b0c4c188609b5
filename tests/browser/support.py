"""What the browser tests share: filling the sign-up forms like a person, reading the mail the
real SMTP sink received, and asserting an error sits next to its input."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Locator, Page

from tests.accounts.journeys import Mail, customer_form, delivered, unique_email

GOOD_PASSWORD = "violet rivers hum beneath 7 moons"


def customer_values(**overrides: str) -> dict[str, str]:
    """The journeys' customer form as typed into the page (``fill_signup`` ticks the boxes)."""
    form = customer_form(**{"email": unique_email("browser"), **overrides})
    return {name: value for name, value in form.items() if not name.startswith("accept")}


LABELS = {
    "stepPartnerCode": "STEP partner code",
    "organizationName": "Organization name",
    "companyName": "Company name",
    "address": "Address (optional)",
    "phone": "Phone (optional)",
    "firstName": "First name",
    "lastName": "Last name",
    "email": "Work email",
}


async def fill_signup(page: Page, values: dict[str, str], *, accept: bool = True) -> None:
    """Type into the form by its visible labels (so the labels are tested too)."""
    for name, value in values.items():
        if name == "country":
            await page.get_by_label("Country", exact=True).select_option(value)
        else:
            await page.get_by_label(LABELS[name], exact=True).fill(value)
    if accept:
        await page.get_by_role("checkbox", name=re.compile("Terms of Service")).check()
        await page.get_by_role("checkbox", name=re.compile("Privacy Policy and Agreement")).check()


async def click_through(page: Page, target: Locator) -> None:
    """Click a submit button (or link) and wait for the page it leads to. After a
    POST-redirect-GET the URL may be the one we started from, so waiting for a URL is not enough."""
    async with page.expect_navigation():
        await target.click()


async def error_of(page: Page, label: str) -> str:
    """The error message the input labelled ``label`` is described by (aria-describedby)."""
    control = page.get_by_label(label, exact=True)
    assert await control.get_attribute("aria-invalid") == "true"
    described = (await control.get_attribute("aria-describedby") or "").split()
    errors = [i for i in described if i.endswith("-error")]
    assert len(errors) == 1, described
    return (await page.locator(f"#{errors[0]}").inner_text()).strip()


async def activation_mail(smtp: Any, email: str, count: int = 1) -> Mail:
    """The newest of ``count`` mails the SMTP sink received for ``email``."""
    return (await delivered(smtp, email, count))[-1]


def activation_link(mail: Mail) -> str:
    link = mail.text.split("Activate Account: ", 1)[1].split()[0]
    assert "/activate?token=" in link, link
    return link


async def activate(page: Page, mail: Mail, password: str = GOOD_PASSWORD, code: str = "") -> None:
    """Open the emailed link and submit the code and the password (twice)."""
    await page.goto(activation_link(mail))
    await page.get_by_label("Activation code", exact=True).fill(code or mail.activation_code)
    await page.get_by_label("New password", exact=True).fill(password)
    await page.get_by_label("Repeat the new password", exact=True).fill(password)
    await click_through(page, page.get_by_role("button", name="Complete Account Authorization"))
