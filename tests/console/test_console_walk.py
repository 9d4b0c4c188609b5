"""Every customer page walked once as each role — a Super Admin in a new, empty organization, an
Admin, a User and a partner's technician in one with data — at phone and desktop width:
axe-clean, a screenshot of each under test-artifacts/ (``walk-<role>-<page>``), empty states that
name the next step, and for a User no form that changes anything (the console refuses the pages
of those forms with its friendly 403, inside the frame)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.factories import Actor, create_actor, create_device, create_license
from tests.partners.support import create_partner, map_directly
from tests.support.server import LiveServer

FORMS = {"/devices/new", "/locations/new", "/users/invite", "/licenses/add"}


async def _populated(services: Services) -> tuple[Actor, dict[str, str]]:
    owner = await customer(services)
    async with services.db.unit_of_work() as session:
        device = await create_device(session, owner.organization, name="Gate camera")
        await create_device(session, owner.organization, name="Loading bay")
        await create_license(session, organization=owner.organization)
    return owner, {"device": str(device.id), "location": str(device.location_id)}


def _pages(ids: dict[str, str] | None) -> list[tuple[str, str]]:
    pages = [
        ("home", "/"),
        ("devices", "/devices"),
        ("register-device", "/devices/new"),
        ("locations", "/locations"),
        ("add-location", "/locations/new"),
        ("users", "/users"),
        ("invite-user", "/users/invite"),
        ("licenses", "/licenses"),
        ("add-license", "/licenses/add"),
        ("partner", "/partner"),
        ("audit-log", "/audit-log"),
        ("settings", "/settings"),
        ("account", "/account"),
    ]
    if ids:
        pages += [
            ("device", f"/devices/{ids['device']}"),
            ("location", f"/locations/{ids['location']}"),
        ]
    return pages


async def _walk(
    page: Page,
    role: str,
    pages: list[tuple[str, str]],
    axe: Axe,
    screenshots: Screenshots,
    *,
    reader: bool = False,
) -> None:
    for name, path in pages:
        response = await page.goto(path)
        assert response is not None
        refused = reader and (path in FORMS or path == "/audit-log")
        if refused:
            assert response.status == 403, path
            await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
        else:
            assert response.status == 200, path
        if reader and path != "/account":
            # Filters (GET) stay; nothing that changes data, and no link to such a form.
            await expect(page.locator("main form[method=post]")).to_have_count(0)
            for form in FORMS:
                await expect(page.locator(f'main a[href="{form}"]')).to_have_count(0)
        await expect(
            page.get_by_role("navigation").get_by_role("button", name="Log out")
        ).to_be_visible()
        await page.set_viewport_size({"width": 390, "height": 844})
        await axe(page)
        await screenshots(page, f"walk-{role}-{name}")
        await axe(page)


async def test_a_super_admin_walks_a_new_organization(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner = await customer(services)
    await sign_in(page, owner.user.email)
    await _walk(page, "super-admin", _pages(None), axe, screenshots)
    # The empty states name the next step.
    for path, text, link in [
        ("/devices", "No devices yet", "Register device"),
        ("/licenses", "No licenses yet", "Add license key"),
    ]:
        await page.goto(path)
        await expect(page.locator("main .empty")).to_contain_text(text)
        await expect(page.locator("main .empty").get_by_role("link", name=link)).to_be_visible()
    await page.goto("/partner")
    await expect(page.get_by_label("STEP partner code")).to_be_visible()


async def test_an_admin_walks_every_page(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner, ids = await _populated(services)
    admin = await customer(services, role=Role.ADMIN, organization=owner.organization)
    await sign_in(page, admin.user.email)
    await _walk(page, "admin", _pages(ids), axe, screenshots)
    # An Admin is not the Super Admin: no partner invitation, no deleting the organization.
    await page.goto("/partner")
    await expect(page.get_by_label("STEP partner code")).to_have_count(0)
    await page.goto("/settings")
    await expect(page.get_by_role("link", name="Delete organization")).to_have_count(0)


async def test_a_user_walks_every_page_and_changes_nothing(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner, ids = await _populated(services)
    user = await customer(services, role=Role.USER, organization=owner.organization)
    await sign_in(page, user.user.email)
    await _walk(page, "user", _pages(ids), axe, screenshots, reader=True)


async def test_a_technician_walks_the_customer_pages(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    owner, ids = await _populated(services)
    partner, _ = await create_partner(services)
    technician = await create_actor(
        services, role=Role.USER, organization=partner.organization, with_password=True
    )
    await map_directly(
        services, partner.organization, owner.organization, technicians=(technician.user.id,)
    )
    await sign_in(page, technician.user.email)
    await page.get_by_label("Organization").select_option(str(owner.organization.id))
    await click_through(page, page.get_by_role("button", name="Switch"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(owner.organization.name)
    pages = [p for p in _pages(ids) if p[1] != "/audit-log"]
    await _walk(page, "technician", pages, axe, screenshots)
    # The audit log is the organization's admins': friendly 403, in the frame.
    response = await page.goto("/audit-log")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
