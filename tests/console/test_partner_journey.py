"""The partner's console, as people use it: the partner's Super Admin (customers and their
grants, a customer's invitation, a customer organization made on its behalf, Installers assigned
and unassigned, an extension asked for), a technician working in a customer under the grant's
scope and losing it at the end date (a moved clock, not a sleep), and the customer's Super Admin
answering the extension request."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.async_api import Page, expect

from db.models import PartnerMapping
from domain.enums import PartnerAccessScope, Role
from kit.clock import utcnow
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import sign_in
from tests.factories import create_actor, create_organization
from tests.partners.support import INVITE_PARTNER, add_staff, create_partner, map_directly
from tests.support.gql import ok
from tests.support.server import LiveServer


async def _audit(page: Page, name: str, axe: Axe, screenshots: Screenshots) -> None:
    """axe-core at phone and desktop width, with the screenshots of both."""
    await page.set_viewport_size({"width": 390, "height": 844})
    await axe(page)
    await screenshots(page, name)  # leaves the page at desktop width
    await axe(page)


async def _set_grant(
    services: Services,
    mapping_id: object,
    *,
    scope: PartnerAccessScope | None = None,
    days: int | None = None,
) -> None:
    async with services.db.unit_of_work() as session:
        mapping = await session.get(PartnerMapping, mapping_id)
        assert mapping is not None
        if scope is not None:
            mapping.access_scope = scope
        if days is not None:
            mapping.access_expires_at = utcnow() + timedelta(days=days)


async def test_a_partner_super_admin_runs_its_customers(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    partner, code = await create_partner(services, with_password=True)
    staff = await add_staff(services, partner)
    async with services.db.unit_of_work() as session:
        riverside = await create_organization(session, name="Riverside Clinic")
    mapping = await map_directly(services, partner.organization, riverside)
    await _set_grant(services, mapping, scope=PartnerAccessScope.DEVICES, days=20)
    inviter = await create_actor(services, role=Role.SUPER_ADMIN)
    await ok(live, inviter, INVITE_PARTNER, {"input": {"stepPartnerCode": code}})

    await sign_in(page, partner.user.email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    nav = page.get_by_role("navigation")
    for name in ("Customers", "Users", "Settings", "Account"):
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    await expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Riverside Clinic"))
    await expect(row).to_contain_text("Devices")
    await expect(row).to_contain_text("until")
    # Not assigned to it: the Super Admin may not open it.
    await expect(row.get_by_role("button", name=re.compile("^Open"))).to_have_count(0)
    await _audit(page, "console-partner-customers-grants", axe, screenshots)

    # Ask Riverside for more time (one more year by default).
    await click_through(page, row.get_by_role("button", name=re.compile("Request extension")))
    await expect(page.get_by_role("status")).to_contain_text("Extension until")
    await expect(row).to_contain_text("Extension asked")

    # A customer's invitation, accepted.
    await click_through(page, page.get_by_role("link", name="Invitations from customers"))
    invitation = page.get_by_role("row", name=re.compile(re.escape(inviter.organization.name)))
    await expect(invitation).to_contain_text("Devices, licenses and users")
    await _audit(page, "console-partner-invitations", axe, screenshots)
    await click_through(page, invitation.get_by_role("button", name=re.compile("^Accept")))
    await expect(page.get_by_role("status")).to_contain_text("accepted")
    await expect(page.get_by_text("No pending invitations")).to_be_visible()

    # A customer organization on a customer's behalf: the boxes are required.
    await page.goto("/")
    await click_through(page, page.get_by_role("link", name="Create customer organization"))
    await page.get_by_label("Organization name").fill("Harbor Logistics")
    await page.get_by_label("Country").select_option("DE")
    await click_through(page, page.get_by_role("button", name="Create customer organization"))
    assert "terms" in (await error_of(page, "The customer accepts the terms of service")).lower()
    await page.get_by_label("The customer accepts the terms of service").check()
    await page.get_by_label("The customer accepts the privacy policy and agreement").check()
    await _audit(page, "console-partner-new-customer", axe, screenshots)
    await click_through(page, page.get_by_role("button", name="Create customer organization"))
    await expect(page.get_by_role("status")).to_contain_text("Harbor Logistics created")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Logistics")
    installers = page.get_by_role("table", name=re.compile("Installers"))
    await expect(installers).to_contain_text(partner.user.email)

    # Assign a member of the staff, then unassign them behind a confirmation.
    await page.get_by_label("Assign a member of your staff").select_option(str(staff.user.id))
    await click_through(page, page.get_by_role("button", name="Assign", exact=True))
    await expect(page.get_by_role("status")).to_contain_text(f"{staff.user.email} is now")
    await expect(installers).to_contain_text(staff.user.email)
    await _audit(page, "console-partner-customer", axe, screenshots)
    await click_through(
        page,
        installers.get_by_role("link", name=re.compile(f"Unassign {re.escape(staff.user.email)}")),
    )
    await click_through(page, page.get_by_role("button", name="Unassign"))
    await expect(page.get_by_role("status")).to_contain_text("unassigned")
    await expect(installers).not_to_contain_text(staff.user.email)

    # The creator is its Installer: open it and work there, under the banner.
    await page.goto("/?q=Harbor")
    harbor = page.get_by_role("row", name=re.compile("Harbor Logistics"))
    await click_through(page, harbor.get_by_role("button", name=re.compile("^Open")))
    banner = page.get_by_role("region", name="Installer access")
    await expect(banner).to_contain_text("Harbor Logistics")
    await expect(banner).to_contain_text("Installer")
    await click_through(page, page.get_by_role("navigation").get_by_role("link", name="Devices"))
    await expect(page.get_by_role("link", name="Register device")).to_be_visible()
    await _audit(page, "console-installer-devices", axe, screenshots)
    await click_through(page, banner.get_by_role("button", name="Back to Customers"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Customers")

    # The partner's own Users and Settings.
    await click_through(page, page.get_by_role("navigation").get_by_role("link", name="Users"))
    await expect(page.get_by_role("table", name="Members")).to_contain_text(staff.user.email)
    await click_through(page, page.get_by_role("navigation").get_by_role("link", name="Settings"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Settings")


async def test_a_partner_admin_answers_invitations_and_a_partner_user_cannot(
    page: Page, new_page: NewPage, live: LiveServer, services: Services, axe: Axe
) -> None:
    partner, code = await create_partner(services)
    admin = await create_actor(
        services, role=Role.ADMIN, organization=partner.organization, with_password=True
    )
    declined_by = await create_actor(services, role=Role.SUPER_ADMIN)
    await ok(live, declined_by, INVITE_PARTNER, {"input": {"stepPartnerCode": code}})
    await sign_in(page, admin.user.email, "/customers/invitations")
    row = page.get_by_role("row", name=re.compile(re.escape(declined_by.organization.name)))
    await click_through(page, row.get_by_role("button", name=re.compile("^Decline")))
    await expect(page.get_by_role("status")).to_contain_text("declined")
    await expect(row).to_have_count(0)

    # A partner USER gets no forms, and the console refuses what the page does not offer.
    user = await create_actor(
        services, role=Role.USER, organization=partner.organization, with_password=True
    )
    mine = await new_page(1280)
    await sign_in(mine, user.user.email)
    await expect(mine.get_by_role("link", name="Create customer organization")).to_have_count(0)
    response = await mine.goto("/customers/new")
    assert response is not None and response.status == 403
    await axe(mine)


async def test_a_technician_works_within_the_grant_and_not_after_it(
    page: Page,
    live: LiveServer,
    services: Services,
    axe: Axe,
    screenshots: Screenshots,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    partner, _ = await create_partner(services)
    technician = await create_actor(
        services, role=Role.USER, organization=partner.organization, with_password=True
    )
    async with services.db.unit_of_work() as session:
        assigned = await create_organization(session, name="Assigned Depot")
        other = await create_organization(session, name="Unassigned Mall")
    mapping = await map_directly(
        services, partner.organization, assigned, technicians=(technician.user.id,)
    )
    await map_directly(services, partner.organization, other)
    await _set_grant(services, mapping, scope=PartnerAccessScope.DEVICES, days=10)

    await sign_in(page, technician.user.email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    await expect(page.get_by_role("link", name="Create customer organization")).to_have_count(0)
    unassigned = page.get_by_role("row", name=re.compile("Unassigned Mall"))
    await expect(unassigned.get_by_role("button", name=re.compile("^Open"))).to_have_count(0)
    depot = page.get_by_role("row", name=re.compile("Assigned Depot"))
    await click_through(page, depot.get_by_role("button", name=re.compile("^Open")))
    await expect(page.get_by_role("region", name="Installer access")).to_contain_text(
        "Assigned Depot"
    )
    nav = page.get_by_role("navigation")
    for name in ("Locations", "Devices"):
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    # Devices only: no Users or Licenses to manage, no Settings, Partner or Audit log.
    for name in ("Users", "Licenses", "Settings", "Partner", "Audit log"):
        await expect(nav.get_by_role("link", name=name, exact=True)).to_have_count(0)
    await page.goto("/licenses")
    await expect(page.get_by_role("link", name="Add license key")).to_have_count(0)
    await page.goto("/locations")
    await click_through(page, page.get_by_role("link", name="Add location"))
    await page.get_by_label("Name", exact=True).fill("Loading Bay")
    await page.get_by_label("Time zone").select_option("Europe/Berlin")
    await click_through(page, page.get_by_role("button", name="Add location"))
    await expect(page.get_by_role("status")).to_contain_text("Loading Bay added")
    await _audit(page, "console-installer-locations", axe, screenshots)

    # The end date passes (the clock moves; no job runs): the next page is refused and the
    # technician is back in the partner's Customers, where the customer shows Expired.
    ends = utcnow() + timedelta(days=10, minutes=1)
    monkeypatch.setattr("domain.authz.repository.utcnow", lambda: ends)
    await page.goto("/devices")
    await expect(page.get_by_role("alert")).to_contain_text("no longer have access")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    await expect(page.get_by_role("region", name="Installer access")).to_have_count(0)


async def test_the_customer_answers_an_extension_and_narrows_the_grant(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    partner, _ = await create_partner(services)
    owner = await create_actor(services, role=Role.SUPER_ADMIN, with_password=True)
    mapping = await map_directly(services, partner.organization, owner.organization)
    await _set_grant(services, mapping, days=5)
    await ok(
        live,
        partner,
        """mutation($input: RequestPartnerAccessExtensionInput!) {
          requestPartnerAccessExtension(input: $input) { userErrors { code } } }""",
        {"input": {"mappingId": str(mapping)}},
    )
    await sign_in(page, owner.user.email, "/partner")
    await expect(page.get_by_role("heading", name="Extension requested")).to_be_visible()
    await _audit(page, "console-customer-partner-access", axe, screenshots)
    await click_through(page, page.get_by_role("button", name="Approve extension"))
    await expect(page.get_by_role("status")).to_contain_text("Extension approved")
    await expect(page.get_by_role("heading", name="Extension requested")).to_have_count(0)

    # Too far ahead: refused beside the field.
    too_late = (utcnow() + timedelta(days=800)).strftime("%Y-%m-%d")
    await page.get_by_label("Access ends on").fill(too_late)
    await click_through(page, page.get_by_role("button", name="Save partner access"))
    assert "two years" in await error_of(page, "Access ends on")
    await page.get_by_label("Installers may manage").select_option("DEVICES")
    await page.get_by_label("Access ends on").fill(
        (utcnow() + timedelta(days=90)).strftime("%Y-%m-%d")
    )
    await click_through(page, page.get_by_role("button", name="Save partner access"))
    await expect(page.get_by_role("status")).to_contain_text("Partner access updated")
    await expect(
        page.get_by_role("definition").filter(has_text=re.compile("^Devices$"))
    ).to_be_visible()
