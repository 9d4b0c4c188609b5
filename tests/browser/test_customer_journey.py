"""The customer's whole story in a real browser (PRODUCT.md §1): from the login page's "Create an
Organization now" through the form, the email (from the real SMTP server), the activation page,
and a real OIDC authorization request (code + PKCE) back to the client, whose token then reads the
customer landing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.async_api import Page, Request, Route

from runtime import Services
from tests.accounts.journeys import landing
from tests.browser.conftest import Axe, Screenshots
from tests.browser.support import (
    GOOD_PASSWORD,
    activation_link,
    activation_mail,
    click_through,
    customer_values,
    fill_signup,
)
from tests.identity.oidc import AuthRequest, exchange_code, register_client
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


async def test_create_an_organization_activate_and_sign_in(
    page: Page,
    live: LiveServer,
    services: Services,
    smtp: SmtpSink,
    axe: Axe,
    screenshots: Screenshots,
) -> None:
    values = customer_values()
    await page.goto("/login")
    await page.get_by_role("link", name="Create an Organization now").click()
    await page.wait_for_url(f"{live.url}/register")
    await fill_signup(page, values)
    await page.get_by_role("button", name="Create organization").click()

    # "Check your email", the same page whatever the address; it repeats the address typed.
    await page.wait_for_url(f"{live.url}/check-email")
    assert await page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert values["email"] in await page.locator("main").inner_text()
    await axe(page)
    await screenshots(page, "check-email")

    mail = await activation_mail(smtp, values["email"])
    # Only what the contract names (PRODUCT.md §3): inputs `code` and `password`, the button.
    await page.goto(activation_link(mail))
    await page.locator("input[name=code]").fill(mail.activation_code)
    await page.locator("input[name=password]").fill(GOOD_PASSWORD)
    await click_through(page, page.get_by_role("button", name="Complete Account Authorization"))
    # Activated: the login page says so, with the email filled in.
    assert urlsplit(page.url).path == "/login"
    assert "Your account is verified successfully." in await page.get_by_role("status").inner_text()
    assert await page.get_by_label("Email", exact=True).input_value() == values["email"]
    await screenshots(page, "login-activated")

    # The client sends the browser to /authorize; its redirect URI is not served by anyone, so
    # the test stands in for the client and answers it.
    client = await register_client(services)
    callbacks: list[str] = []

    async def client_callback(route: Route, request: Request) -> None:
        callbacks.append(request.url)
        await route.fulfill(status=200, content_type="text/plain", body="signed in")

    await page.route(f"{client.redirect_uri}**", client_callback)
    request = AuthRequest(client)
    await page.goto(request.url())
    assert urlsplit(page.url).path == "/login"
    await page.get_by_label("Email", exact=True).fill(values["email"])
    await page.get_by_label("Password", exact=True).fill(GOOD_PASSWORD)
    await page.get_by_role("button", name="Login").click()
    await page.wait_for_url(f"{client.redirect_uri}**")

    (callback,) = callbacks
    params = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
    assert params["state"] == request.state and params["iss"] == live.url
    tokens = await exchange_code(live.client, request, params["code"])
    assert tokens.status_code == 200, tokens.text
    result = await landing(live, tokens.json()["access_token"])
    assert result["__typename"] == "CustomerLanding"
    assert result["organization"]["name"] == values["organizationName"]
    assert [item["key"] for item in result["menu"]] == ["LOCATIONS", "DEVICES", "USERS", "LICENSES"]
