"""What the walk found missing, now in the console: moving an area to another location, the
audit log's filters (action, person, period, kept while paging) and the licenses' status
filter — each working without JavaScript, axe-clean, at both widths; and an address nobody
serves answers the friendly 404 page, not a bare "Not Found"."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.async_api import Page, expect

from domain.enums import Role
from kit.clock import utcnow
from runtime import Services
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.factories import create_license
from tests.support.server import LiveServer

CREATE_LOCATION = """
mutation($input: CreateLocationInput!) {
  createLocation(input: $input) { location { id } userErrors { code } }
}
"""
CREATE_AREA = """
mutation($input: CreateAreaInput!) {
  createArea(input: $input) { area { id } userErrors { code } }
}
"""


async def test_an_admin_moves_an_area_to_another_location(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    ids = []
    for name in ("North yard", "South yard"):
        body = await live.graphql(
            CREATE_LOCATION,
            {"input": {"name": name, "timeZone": "Europe/Berlin"}},
            headers=owner.headers,
        )
        ids.append(body["data"]["createLocation"]["location"]["id"])
    body = await live.graphql(
        CREATE_AREA, {"input": {"locationId": ids[0], "name": "Gatehouse"}}, headers=owner.headers
    )
    assert body["data"]["createArea"]["userErrors"] == []

    await sign_in(page, owner.user.email, f"/locations/{ids[0]}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("North yard")
    await page.get_by_label("Move Gatehouse to").select_option(label="South yard")
    await axe(page)
    await screenshots(page, "console-location-move-area")
    await click_through(page, page.get_by_role("button", name="Move Gatehouse"))
    assert page.url == f"{live.url}/locations/{ids[1]}"
    await expect(page.get_by_role("status")).to_have_text("Area moved, with its devices.")
    await expect(page.get_by_role("heading", level=1)).to_have_text("South yard")
    await expect(page.get_by_role("button", name="Rename Gatehouse")).to_be_visible()


async def test_the_audit_log_and_the_licenses_are_filtered(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    colleague = await customer(services, role=Role.ADMIN, organization=owner.organization)
    for actor, name in ((owner, "Depot"), (colleague, "Annex")):
        await live.graphql(
            CREATE_LOCATION,
            {"input": {"name": name, "timeZone": "Europe/Berlin"}},
            headers=actor.headers,
        )
    async with services.db.unit_of_work() as session:
        await create_license(session, organization=owner.organization)

    await sign_in(page, owner.user.email, "/audit-log")
    rows = page.locator("table.audit tbody tr")
    await expect(rows).to_have_count(2)
    # By person: only the colleague's event.
    await page.get_by_label("Person").select_option(label=colleague.user.email)
    await click_through(page, page.get_by_role("button", name="Filter"))
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(colleague.user.email)
    await expect(page.get_by_label("Person")).to_have_value(str(colleague.user.id))
    # By action, and by a period that ended yesterday: nothing, said so.
    await page.get_by_label("Person").select_option("")
    await page.get_by_label("Action").fill("location.created")
    await click_through(page, page.get_by_role("button", name="Filter"))
    await expect(rows).to_have_count(2)
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    await page.get_by_label("To").fill(yesterday)
    await click_through(page, page.get_by_role("button", name="Filter"))
    await expect(page.get_by_text("No event matches these filters.")).to_be_visible()
    await axe(page)
    await screenshots(page, "console-audit-log-filtered")
    await page.get_by_role("link", name="Show every event").click()
    await expect(rows).to_have_count(2)

    await page.get_by_role("navigation").get_by_role("link", name="Licenses").click()
    await expect(page.get_by_role("row", name=re.compile("HealthPro"))).to_be_visible()
    await page.get_by_label("Status").select_option("EXPIRED")
    await click_through(page, page.get_by_role("button", name="Filter"))
    await expect(page.get_by_text("No license has this status.")).to_be_visible()
    await axe(page)
    await screenshots(page, "console-licenses-filtered")
    await page.get_by_label("Status").select_option("AVAILABLE")
    await click_through(page, page.get_by_role("button", name="Filter"))
    await expect(page.get_by_role("row", name=re.compile("HealthPro"))).to_be_visible()


async def test_an_address_nobody_serves_is_the_friendly_404(
    page: Page, live: LiveServer, axe: Axe
) -> None:
    response = await page.goto("/devices/1/2/3/nothing-here")
    assert response is not None and response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    await expect(page.get_by_role("link", name="Back to the console")).to_be_visible()
    await axe(page)
