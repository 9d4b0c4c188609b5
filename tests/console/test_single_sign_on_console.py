"""Settings → Single sign-on in chromium: the Super Admin copies the redirect URI, claims a domain
and verifies it (a real DNS server on loopback answers the TXT record), connects a provider (the
portal under test is itself an OpenID provider), tests the connection — a wrong secret is named,
then every check passes —, and removes the connection and the domain after confirming; an Admin
is refused the page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import Page, expect

from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through
from tests.console.support import customer, sign_in
from tests.identity.oidc import register_client
from tests.sso.dns_server import DnsServer
from tests.support.server import LiveServer
from tests.support.smtp import free_port

HOME = "/settings/single-sign-on"


@pytest.fixture
def dns_server() -> Iterator[DnsServer]:
    with DnsServer().running() as server:
        yield server


@pytest.fixture
def settings_overrides(dns_server: DnsServer) -> dict[str, Any]:
    return {"dns_resolver": dns_server.address, "dns_timeout_seconds": 1.0}


async def save_connection(page: Page, issuer: str, client_id: str, secret: str) -> None:
    await page.get_by_label("Issuer URL").fill(issuer)
    await page.get_by_label("Client id").fill(client_id)
    await page.get_by_label("Client secret").fill(secret)
    await click_through(page, page.get_by_role("button", name="Save connection"))
    await expect(page.get_by_role("status")).to_contain_text("Connection saved.")


async def test_a_super_admin_sets_up_single_sign_on(
    new_page: NewPage,
    live: LiveServer,
    services: Services,
    dns_server: DnsServer,
    axe: Axe,
    screenshots: Screenshots,
) -> None:
    owner = await customer(services)
    page = await new_page()
    await sign_in(page, owner.user.email, "/settings")
    await click_through(page, page.get_by_role("link", name="Set up single sign-on"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on")
    redirect_uri = live.settings.public_url + "/sso/callback"
    await expect(page.locator("#redirect-uri")).to_have_text(redirect_uri)
    await expect(page.get_by_text("No domains claimed yet.")).to_be_visible()
    await axe(page)
    await screenshots(page, "console-sso-empty")
    # The copy button (console.js; hidden without script) copies the redirect URI exactly.
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await page.get_by_role("button", name="Copy").click()
    await expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == redirect_uri

    # A public mail domain is refused beside its input.
    await page.get_by_label("Domain to claim").fill("gmail.com")
    await click_through(page, page.get_by_role("button", name="Claim domain"))
    await expect(page.locator("#domain-error")).to_contain_text("public mail provider")

    domain = f"acme-{uuid.uuid4().hex[:6]}.example"
    await page.get_by_label("Domain to claim").fill(domain.upper())
    await click_through(page, page.get_by_role("button", name="Claim domain"))
    await expect(page.get_by_role("status")).to_contain_text(f"{domain} claimed.")
    await expect(page.get_by_text("Waiting for DNS")).to_be_visible()
    name = (await page.locator("#txt-name-1").inner_text()).strip()
    value = (await page.locator("#txt-value-1").inner_text()).strip()
    assert name == f"_cloud-portal-verification.{domain}"
    assert value.startswith("cloud-portal-verification=")
    await axe(page)
    await screenshots(page, "console-sso-claimed")

    # Not published yet: the page says what it looked for.
    await click_through(page, page.get_by_role("button", name=f"Verify {domain}"))
    await expect(page.get_by_role("alert")).to_contain_text(f"No TXT record {name}")
    dns_server.records[name] = [value]
    await click_through(page, page.get_by_role("button", name=f"Verify {domain}"))
    await expect(page.get_by_role("status")).to_contain_text(f"{domain} is verified")
    await expect(page.locator(".sso-domain .badge")).to_have_text("Verified")

    # The provider: an application registered with the redirect URI shown.
    app = await register_client(services, redirect_uri=redirect_uri)
    assert app.client_secret is not None
    issuer = live.settings.issuer
    # A provider that does not answer: refused beside the issuer, what was typed kept (but the
    # secret, which the console never keeps).
    await page.get_by_label("Issuer URL").fill(f"http://127.0.0.1:{free_port()}")
    await page.get_by_label("Client id").fill(app.client_id)
    await page.get_by_label("Client secret").fill(app.client_secret)
    await click_through(page, page.get_by_role("button", name="Save connection"))
    await expect(page.locator("#issuer-error")).to_contain_text("could not be reached")
    await expect(page.get_by_label("Client id")).to_have_value(app.client_id)
    await expect(page.get_by_label("Client secret")).to_have_value("")
    await axe(page)
    await page.get_by_label("Groups claim").fill("groups")
    await page.get_by_label("Group 1", exact=True).fill("it-admins")
    await page.get_by_label("Role of group 1").select_option("ADMIN")
    await page.get_by_label("Enforce single sign-on").check()
    await expect(page.locator("#enforced-warning")).to_contain_text("break-glass")
    await save_connection(page, issuer, app.client_id, "not-the-secret")
    await expect(page.get_by_text("Enforced: no password sign-in")).to_be_visible()
    await expect(page.get_by_label("Client secret")).to_have_value("")  # never shown again
    await axe(page)
    await screenshots(page, "console-sso")

    # A wrong secret is named, in plain words.
    await click_through(page, page.get_by_role("button", name="Test connection"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Connection test")
    await expect(page.get_by_role("alert")).to_contain_text("1 of 5 checks failed")
    failed = page.locator(".sso-check.failed")
    await expect(failed).to_have_count(1)
    await expect(failed).to_contain_text("Client id and secret")
    await expect(failed).to_contain_text("the client id or secret is wrong")
    await expect(page.locator(".sso-check.passed")).to_have_count(4)
    await axe(page)
    await screenshots(page, "console-sso-test-failed")

    # Saved again with the right secret (the rows and the choice kept): every check passes.
    await click_through(page, page.get_by_role("link", name="Back to single sign-on"))
    await expect(page.get_by_label("Group 1", exact=True)).to_have_value("it-admins")
    await expect(page.get_by_label("Enforce single sign-on")).to_be_checked()
    await save_connection(page, issuer, app.client_id, app.client_secret)
    await click_through(page, page.get_by_role("button", name="Test connection"))
    await expect(page.get_by_role("status")).to_contain_text("Every check passed")
    await expect(page.locator(".sso-check.passed")).to_have_count(5)
    await expect(page.locator(".sso-check").nth(4)).to_contain_text(redirect_uri)
    await axe(page)
    await screenshots(page, "console-sso-test")

    # Removing the connection warns first; Cancel keeps it.
    await page.goto(HOME)
    await click_through(page, page.get_by_role("link", name="Remove single sign-on"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Remove single sign-on?")
    await expect(page.get_by_text("Forgot password")).to_be_visible()
    await expect(page.get_by_text("although single sign-on was enforced")).to_be_visible()
    await axe(page)
    await screenshots(page, "console-sso-remove")
    await click_through(page, page.get_by_role("link", name="Cancel"))
    await click_through(page, page.get_by_role("link", name="Remove single sign-on"))
    await click_through(page, page.get_by_role("button", name="Remove single sign-on"))
    await expect(page.get_by_role("status")).to_contain_text("Single sign-on removed")
    await expect(page.get_by_text("No provider connected yet")).to_be_visible()
    await expect(page.get_by_role("link", name="Remove single sign-on")).to_have_count(0)

    # The domain too, after its own confirmation.
    await click_through(page, page.get_by_role("link", name=f"Remove {domain}"))
    await expect(page.get_by_text(f"Remove the domain {domain}?")).to_be_visible()
    await click_through(page, page.get_by_role("button", name="Remove domain"))
    await expect(page.get_by_role("status")).to_contain_text("Domain removed.")
    await expect(page.get_by_text("No domains claimed yet.")).to_be_visible()


async def test_an_admin_is_refused(new_page: NewPage, live: LiveServer, services: Services) -> None:
    owner = await customer(services)
    admin = await customer(services, role=Role.ADMIN, organization=owner.organization)
    page = await new_page()
    await sign_in(page, admin.user.email, "/settings")
    await expect(page.get_by_role("link", name="Set up single sign-on")).to_have_count(0)
    response = await page.request.get(f"{live.url}{HOME}")
    assert response.status == 403
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert csrf
    forged = await page.request.post(
        f"{live.url}{HOME}/domains",
        form={"csrf_token": csrf, "domain": "admin-claim.example"},
        headers={"Origin": live.url},
    )
    assert forged.status == 403
