"""The console's other homes: a partner's Customers table, and an internal admin's pending
partner requests with Approve and Reject (which asks for a Reason)."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import JOIN_PARTNER, partner_form
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import sign_in
from tests.factories import create_actor, create_organization, create_step_code
from tests.partners.support import create_partner, map_directly
from tests.support.gql import payload_for
from tests.support.server import LiveServer


async def test_a_partner_sees_its_customers(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    partner, _ = await create_partner(services, with_password=True)
    async with services.db.unit_of_work() as session:
        mapped = await create_organization(session, name="Riverside Clinic")
        await create_organization(session, name="Not Ours Ltd")
    await map_directly(services, partner.organization, mapped)
    await sign_in(page, partner.user.email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    nav = page.get_by_role("navigation")
    for name in ["Customers", "Users", "Settings", "Account"]:
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    await expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("Riverside Clinic"))).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("Not Ours"))).to_have_count(0)
    await axe(page)
    await screenshots(page, "console-partner-customers")


async def test_an_internal_admin_approves_and_rejects_partner_requests(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN, with_password=True)
    forms = []
    for company in ("Alpha Installers", "Beta Security"):
        code = await create_step_code(services)
        form = partner_form(code, companyName=company)
        await payload_for(live, None, JOIN_PARTNER, {"input": form})
        forms.append(form)
    await sign_in(page, admin.user.email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Partner requests")
    nav = page.get_by_role("navigation")
    for name in ["Partner requests", "Organizations", "STEP codes", "License keys", "Account"]:
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    alpha = page.get_by_role("row", name=re.compile(re.escape(forms[0]["email"])))
    await expect(alpha).to_contain_text(forms[0]["stepPartnerCode"])
    await axe(page)
    await screenshots(page, "console-partner-requests")

    await click_through(page, alpha.get_by_role("button", name="Approve"))
    await expect(page.get_by_role("status")).to_contain_text("Alpha Installers approved")
    await expect(alpha).to_have_count(0)

    beta = page.get_by_role("row", name=re.compile(re.escape(forms[1]["email"])))
    await click_through(page, beta.get_by_role("button", name="Reject"))
    await click_through(page, page.get_by_role("button", name="Reject"))
    assert await error_of(page, "Reason")
    await page.get_by_label("Reason").fill("We could not verify the STEP code holder.")
    await axe(page)
    await screenshots(page, "console-reject-partner-request")
    await click_through(page, page.get_by_role("button", name="Reject"))
    await expect(page.get_by_role("status")).to_contain_text("rejected")
    await expect(page.get_by_text("No pending requests")).to_be_visible()
