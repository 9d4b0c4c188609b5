""" "Join as a STEP Partner" in a real browser: a valid code ends on "check your email" (and the
request waits for review), an unknown one is refused next to its field with everything typed kept."""

from __future__ import annotations

from playwright.async_api import Page
from sqlalchemy import select

from db.models import PartnerRequest
from domain.enums import PartnerRequestStatus
from runtime import Services
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import click_through, customer_values, error_of, fill_signup
from tests.factories import create_step_code, unique_step_code
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


def partner_values(code: str) -> dict[str, str]:
    values = customer_values(organizationName="Northwind Installers Ltd")
    values["companyName"] = values.pop("organizationName")
    return {"stepPartnerCode": code, **values}


async def test_a_valid_code_sends_the_request(
    page: Page, live: LiveServer, services: Services, smtp: SmtpSink, axe: Axe
) -> None:
    code = await create_step_code(services)
    values = partner_values(code.lower())  # typed as people do; stored normalized
    await page.goto("/login")
    await page.get_by_role("link", name="Join as a STEP Partner").click()
    await page.wait_for_url(f"{live.url}/partner/join")
    await fill_signup(page, values)
    await page.get_by_role("button", name="Send request").click()
    await page.wait_for_url(f"{live.url}/check-email")
    text = await page.locator("main").inner_text()
    assert "We received your request to join as a STEP Partner" in text
    assert values["email"] in text
    await axe(page)

    (mail,) = await smtp.wait_for(values["email"])
    assert code in mail.text
    async with services.db.read_session() as session:
        request = (
            await session.scalars(
                select(PartnerRequest).where(PartnerRequest.contact_email == values["email"])
            )
        ).one()
    assert request.status is PartnerRequestStatus.PENDING
    assert request.step_partner_code == code and request.company_name == values["companyName"]


async def test_an_unknown_code_is_refused_next_to_its_field(
    page: Page, live: LiveServer, axe: Axe, screenshots: Screenshots
) -> None:
    values = partner_values(unique_step_code())
    await page.goto("/partner/join")
    await fill_signup(page, values)
    await click_through(page, page.get_by_role("button", name="Send request"))
    assert page.url == f"{live.url}/partner/join"  # POST-redirect-GET back to the form

    assert "not valid" in await error_of(page, "STEP partner code")
    for name in ("companyName", "firstName", "lastName", "email", "address", "phone"):
        assert await page.locator(f"[name={name}]").input_value() == values[name]
    assert await page.get_by_label("Country", exact=True).input_value() == values["country"]
    assert await page.get_by_role("checkbox", name="Terms of Service").is_checked()
    # The other fields were fine: only the code is marked.
    assert await page.locator("[aria-invalid=true]").count() == 1
    await axe(page)
    await screenshots(page, "partner-join-invalid-code")
