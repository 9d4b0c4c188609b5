"""The internal admin's console in chromium: Organizations (search, filters, one in full,
suspend and reactivate with a reason), STEP codes (add, CSV upload with a per-row report,
revoke), License keys (shown once, downloadable once), the vendor-wide Audit log, the
partner-request mail setting on Account; and a customer is refused all of it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.async_api import Page, expect

from db.models import Organization
from domain.audit.service import record
from domain.enums import OrganizationType, Role
from runtime import Services
from tests.audit.support import audit_events
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import sign_in
from tests.factories import (
    add_member,
    create_actor,
    create_device,
    create_license,
    create_organization,
    create_step_code,
    create_user,
)
from tests.partners.support import create_partner, map_directly
from tests.support.server import LiveServer

ADMIN_NAV = [
    "Partner requests",
    "Organizations",
    "STEP codes",
    "License keys",
    "Audit log",
    "Account",
]


async def admin_signed_in(page: Page, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN, with_password=True)
    await sign_in(page, admin.user.email)


async def customer_with_things(services: Services, name: str) -> tuple[Organization, str]:
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    async with services.db.unit_of_work() as session:
        organization = await create_organization(session, name=name)
        user = await create_user(session, email=email)
        await add_member(session, user, organization, Role.SUPER_ADMIN)
        await create_device(session, organization)
        await create_license(session, organization=organization)
    return organization, email


async def test_organizations_search_open_suspend_and_reactivate(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    tag = uuid.uuid4().hex[:6]
    customer, owner = await customer_with_things(services, f"Harbor Logistics {tag}")
    partner, _ = await create_partner(services)
    await map_directly(services, partner.organization, customer)
    await admin_signed_in(page, services)
    nav = page.get_by_role("navigation")
    for name in ADMIN_NAV:
        await expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    await expect(nav.get_by_role("button", name="Log out")).to_be_visible()

    await click_through(page, nav.get_by_role("link", name="Organizations", exact=True))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Organizations")
    await expect(
        page.get_by_role("row", name=re.compile(f"Harbor Logistics {tag}"))
    ).to_be_visible()
    await axe(page)
    await screenshots(page, "console-admin-organizations")

    # Search by a member's email, then narrow by type: partners only hides the customer.
    await page.get_by_label("Search organizations").fill(owner)
    await click_through(page, page.get_by_role("button", name="Search"))
    await expect(page.get_by_role("row")).to_have_count(2)  # the header and the customer
    await page.get_by_label("Type").select_option("PARTNER")
    await click_through(page, page.get_by_role("button", name="Search"))
    await expect(page.get_by_text("No organizations match")).to_be_visible()
    await page.goto("/organizations?type=PARTNER&status=ACTIVE")
    await expect(
        page.get_by_role("row", name=re.compile(re.escape(partner.organization.name)))
    ).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile(f"Harbor Logistics {tag}"))).to_have_count(
        0
    )

    # The organization in full.
    await page.goto("/organizations")
    await click_through(page, page.get_by_role("link", name=f"Harbor Logistics {tag}"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Harbor Logistics {tag}")
    counts = page.locator("dl.counts")
    await expect(counts).to_contain_text("Devices")
    await expect(counts.locator("div", has_text="Devices").locator("dd")).to_have_text("1")
    await expect(counts.locator("div", has_text="Licenses").locator("dd")).to_have_text("1")
    await expect(page.get_by_role("row", name=re.compile(re.escape(owner)))).to_be_visible()
    await expect(
        page.get_by_role("row", name=re.compile(re.escape(partner.organization.name)))
    ).to_be_visible()
    await axe(page)
    await screenshots(page, "console-admin-organization")

    # Suspend: a reason is required; then the flash, the state and the audit trail.
    await click_through(page, page.get_by_role("link", name="Suspend"))
    await click_through(page, page.get_by_role("button", name="Suspend"))
    assert await error_of(page, "Reason")
    await axe(page)
    await screenshots(page, "console-admin-suspend")
    await page.get_by_label("Reason").fill("Unpaid invoices since March.")
    await click_through(page, page.get_by_role("button", name="Suspend"))
    await expect(page.get_by_role("status").first).to_contain_text("is suspended")
    await expect(page.get_by_text("Reason: Unpaid invoices since March.")).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("organization.suspended"))).to_be_visible()

    await click_through(page, page.get_by_role("link", name="Reactivate"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Reactivate Harbor Logistics {tag}"
    )
    await click_through(page, page.get_by_role("button", name="Reactivate"))
    await expect(page.get_by_role("status").first).to_contain_text("is active again")
    await expect(page.get_by_role("link", name="Suspend")).to_be_visible()
    (event,) = await audit_events(services, "organization.suspended")
    assert event.organization_id == customer.id
    assert event.details is not None and "Unpaid invoices" in str(event.details)


async def test_step_codes_add_upload_and_revoke(
    page: Page,
    live: LiveServer,
    services: Services,
    axe: Axe,
    screenshots: Screenshots,
    tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    await create_step_code(services, f"KNOWN-{tag}")
    await admin_signed_in(page, services)
    await page.goto("/step-codes")
    await expect(page.get_by_role("heading", level=1)).to_have_text("STEP codes")
    await page.get_by_label("Code", exact=True).fill(f"step-{tag}-one")
    await page.get_by_label("Company").fill("Acme Installers")
    await click_through(page, page.get_by_role("button", name="Add code"))
    await expect(page.get_by_role("status").first).to_contain_text(f"STEP-{tag}-ONE added")
    await expect(page.get_by_role("row", name=re.compile(f"STEP-{tag}-ONE"))).to_contain_text(
        "Acme Installers"
    )
    # The same code again: the error beside the field.
    await page.get_by_label("Code", exact=True).fill(f"STEP-{tag}-ONE")
    await click_through(page, page.get_by_role("button", name="Add code"))
    assert "already exists" in await error_of(page, "Code")
    await axe(page)
    await screenshots(page, "console-admin-step-codes")

    # Upload nothing: the error beside the file input. Then a real file.
    await click_through(page, page.get_by_role("button", name="Upload codes"))
    assert "Choose a CSV file" in await error_of(page, "CSV file")
    csv_file = tmp_path / "codes.csv"
    csv_file.write_text(
        f"code,company\nSTEP-{tag}-TWO,Beta GmbH\nKNOWN-{tag},Known\nbad code!,Nope\n"
        f"step-{tag}-two,Again\n",
        encoding="utf-8",
    )
    await page.get_by_label("CSV file", exact=True).set_input_files(str(csv_file))
    await click_through(page, page.get_by_role("button", name="Upload codes"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Upload report")
    await expect(page.get_by_role("status").first).to_contain_text("1 added, 2 skipped, 1 invalid")
    await expect(page.get_by_role("row", name=re.compile(f"^2 STEP-{tag}-TWO"))).to_contain_text(
        "Added"
    )
    await expect(page.get_by_role("row", name=re.compile(f"^3 KNOWN-{tag}"))).to_contain_text(
        "Already in the registry"
    )
    await expect(page.get_by_role("row", name=re.compile("^4 bad code!"))).to_contain_text(
        "Not a valid code"
    )
    await expect(page.get_by_role("row", name=re.compile("^5 "))).to_contain_text(
        "Repeated: the same code is on line 2"
    )
    await axe(page)
    await screenshots(page, "console-admin-step-code-report")

    # A file that is no code list: the API's reason beside the input.
    bad_file = tmp_path / "bad.csv"
    bad_file.write_text("company\nAcme\n", encoding="utf-8")
    await page.goto("/step-codes")
    await page.get_by_label("CSV file", exact=True).set_input_files(str(bad_file))
    await click_through(page, page.get_by_role("button", name="Upload codes"))
    assert "no `code` column" in await error_of(page, "CSV file")

    # Search, then revoke with a confirmation.
    await page.get_by_label("Search codes").fill(f"{tag}-two")
    await click_through(page, page.get_by_role("button", name="Search"))
    row = page.get_by_role("row", name=re.compile(f"STEP-{tag}-TWO"))
    await click_through(page, row.get_by_role("link", name=re.compile("Revoke")))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Revoke STEP code")
    await expect(page.get_by_text(f"Revoke the STEP code STEP-{tag}-TWO?")).to_be_visible()
    await axe(page)
    # A link naming another code than its id does not show that code.
    revoke_url = page.url
    await page.goto(revoke_url.replace(f"STEP-{tag}-TWO", f"KNOWN-{tag}"))
    await expect(page.get_by_text("Revoke this STEP code?")).to_be_visible()
    await click_through(page, page.get_by_role("button", name="Revoke"))
    await expect(page.get_by_role("status").first).to_contain_text(f"STEP-{tag}-TWO revoked")
    await expect(page.get_by_role("row", name=re.compile(f"STEP-{tag}-TWO"))).to_contain_text(
        "Revoked"
    )


async def test_license_keys_are_shown_once_and_downloaded_once(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    await admin_signed_in(page, services)
    await page.goto("/license-keys")
    await expect(page.get_by_role("heading", level=1)).to_have_text("License keys")
    await page.get_by_label("Number of keys").fill("0")
    await click_through(page, page.get_by_role("button", name="Issue keys"))
    assert await error_of(page, "Product")
    await page.get_by_label("Product").select_option("HEALTHPRO")
    await page.get_by_label("Number of keys").fill("501")
    await click_through(page, page.get_by_role("button", name="Issue keys"))
    assert "between 1 and 500" in await error_of(page, "Number of keys")
    await axe(page)
    await screenshots(page, "console-admin-license-keys")

    await page.get_by_label("Number of keys").fill("3")
    await page.get_by_label("Seats").fill("2")
    await click_through(page, page.get_by_role("button", name="Issue keys"))
    await expect(page.get_by_role("status").first).to_contain_text("3 license keys issued")
    shown = [
        (await code.inner_text()).strip()
        for code in await page.get_by_role("list", name="Issued license keys").locator("code").all()
    ]
    assert len(shown) == 3 and all(re.fullmatch(r"([A-Z0-9]{5}-){4}[A-Z0-9]{5}", k) for k in shown)
    await axe(page)
    await screenshots(page, "console-admin-license-keys-issued")

    # The button's POST, sent with the page's cookie and CSRF token (a download in chromium
    # aborts the navigation, which the page watcher would count as a failed request).
    form = page.locator("form[action='/license-keys/download']")
    token = await form.locator("input[name=csrf_token]").get_attribute("value")
    response = await page.request.post(
        "/license-keys/download", form={"csrf_token": token or ""}, headers={"Origin": live.url}
    )
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    text = await response.text()
    lines = text.strip().splitlines()
    assert lines[0] == "key,product,term_days,seats,license_id"
    assert [line.split(",")[0] for line in lines[1:]] == shown
    assert all(line.split(",")[1:4] == ["HEALTHPRO", "365", "2"] for line in lines[1:])

    # Once: the second download finds nothing and says why.
    await click_through(page, page.get_by_role("button", name="Download CSV"))
    await expect(page.get_by_role("alert")).to_contain_text("already downloaded")
    await expect(page.get_by_role("heading", level=1)).to_have_text("License keys")


async def test_vendor_audit_log_and_the_mail_setting(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    customer, _ = await customer_with_things(services, "Audited Ltd")
    await admin_signed_in(page, services)
    await page.goto("/account")
    box = page.get_by_label("Email me when a new partner request arrives")
    await expect(box).to_be_checked()
    await box.uncheck()
    await click_through(page, page.get_by_role("button", name="Save notifications"))
    await expect(page.get_by_role("status").first).to_contain_text("no longer get an email")
    await expect(
        page.get_by_label("Email me when a new partner request arrives")
    ).not_to_be_checked()
    await axe(page)
    await screenshots(page, "console-admin-account")
    (event,) = await audit_events(services, "admin.notifications_changed")
    assert event.details == {"partner_request_mail": False}

    await page.get_by_role("navigation").get_by_role("link", name="Audit log").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    # Every organization's events, and those of none (this admin's own sign-in).
    await expect(
        page.get_by_role("row", name=re.compile("admin.notifications_changed"))
    ).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("login.succeeded")).first).to_be_visible()
    await axe(page)
    await screenshots(page, "console-admin-audit-log")

    await page.get_by_label("Action").fill("login.succeeded")
    await click_through(page, page.get_by_role("button", name="Filter"))
    await expect(
        page.get_by_role("row", name=re.compile("admin.notifications_changed"))
    ).to_have_count(0)
    await expect(page.get_by_role("row", name=re.compile("login.succeeded")).first).to_be_visible()
    await page.get_by_label("From").fill("2026-13-45")  # typed where no date picker is
    await page.goto("/audit-log/all?from=not-a-date")
    assert "YYYY-MM-DD" in await error_of(page, "From")
    await page.goto(f"/audit-log/all?organization={customer.id}")
    await expect(page.get_by_text("No events match these filters.")).to_be_visible()


async def test_a_customer_gets_none_of_it(page: Page, live: LiveServer, services: Services) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN, with_password=True)
    await sign_in(page, customer.user.email)
    nav = page.get_by_role("navigation")
    for name in ("Organizations", "STEP codes", "License keys"):
        await expect(nav.get_by_role("link", name=name)).to_have_count(0)
    for path in (
        "/organizations",
        f"/organizations/{customer.organization.id}",
        f"/organizations/{customer.organization.id}/suspend",
        "/step-codes",
        "/license-keys",
        "/audit-log/all",
    ):
        response = await page.goto(path)
        assert response is not None and response.status in {403, 404}, (path, response)
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile("Not allowed|Not found")
        )
    # A forged POST is refused as well, before the API is asked.
    token = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = await page.request.post(
        "/license-keys",
        form={
            "csrf_token": token or "",
            "productKey": "HEALTHPRO",
            "termDays": "365",
            "seats": "1",
            "count": "1",
        },
        headers={"Origin": live.url},
    )
    assert response.status == 403
    assert OrganizationType.CUSTOMER  # the organization kind the nav above was for


async def test_organization_pages_keep_the_search(
    page: Page, live: LiveServer, services: Services
) -> None:
    tag = uuid.uuid4().hex[:6]
    async with services.db.unit_of_work() as session:
        for number in range(27):
            await create_organization(session, name=f"Paged {tag} {number:02d}")
    await admin_signed_in(page, services)
    await page.goto(f"/organizations?q={tag}&type=CUSTOMER")
    await expect(page.get_by_text("27 organizations")).to_be_visible()
    rows = page.get_by_role("row", name=re.compile(f"Paged {tag}"))
    await expect(rows).to_have_count(25)
    await click_through(page, page.get_by_role("link", name="Next page"))
    await expect(rows).to_have_count(2)
    await expect(page.get_by_label("Search organizations")).to_have_value(tag)
    await expect(page.get_by_role("link", name="Next page")).to_have_count(0)
    await click_through(page, page.get_by_role("link", name="First page"))
    await expect(rows).to_have_count(25)


async def test_the_audit_log_follows_an_organization_and_a_person(
    page: Page, live: LiveServer, services: Services, axe: Axe
) -> None:
    owner = await create_actor(services)
    customer = owner.organization
    async with services.db.unit_of_work() as session:
        for action in ("device.registered", "location.created"):
            await record(
                session,
                action,
                meta=None,
                actor_email=owner.user.email,
                actor_user_id=owner.user.id,
                organization_id=customer.id,
            )
    await admin_signed_in(page, services)
    await page.goto(f"/organizations/{customer.id}")
    await expect(page.get_by_role("row", name=re.compile("location.created"))).to_be_visible()
    await click_through(page, page.get_by_role("link", name=re.compile("All events of")))
    await expect(page.get_by_label("Organization id")).to_have_value(str(customer.id))
    await expect(page.get_by_role("row", name=re.compile("device.registered"))).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("login.succeeded"))).to_have_count(0)

    await page.goto(f"/organizations/{customer.id}")
    email = re.escape(owner.user.email)
    await click_through(page, page.get_by_role("link", name=re.compile(f"Activity of {email}")))
    await expect(page.get_by_text(f"Person: {owner.user.email}")).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("location.created"))).to_be_visible()
    # The admin's own sign-in is someone else's event.
    await expect(page.get_by_role("row", name=re.compile("login.succeeded"))).to_have_count(0)
    await axe(page)


async def test_uploads_are_size_limited(
    page: Page, live: LiveServer, services: Services, tmp_path: Path
) -> None:
    await admin_signed_in(page, services)
    await page.goto("/step-codes")
    big = tmp_path / "big.csv"
    big.write_text("code\n" + "STEP-X\n" * (101 * 1024 // 7 + 10), encoding="utf-8")
    await page.get_by_label("CSV file", exact=True).set_input_files(str(big))
    await click_through(page, page.get_by_role("button", name="Upload codes"))
    assert "larger than 100 KiB" in await error_of(page, "CSV file")
    # Far too large: refused before the body is read.
    token = await page.locator("#upload input[name=csrf_token]").get_attribute("value")
    response = await page.request.post(
        "/step-codes/upload",
        multipart={
            "csrf_token": token or "",
            "file": {"name": "huge.csv", "mimeType": "text/csv", "buffer": b"x" * 400_000},
        },
        headers={"Origin": live.url},
    )
    assert response.status == 400
