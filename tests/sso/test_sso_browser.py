"""In a real browser (Debian's chromium through Playwright, with its virtual WebAuthn
authenticator): /login → node's oidc-provider's own sign-in page → /sso/callback → where the
organization requires passkeys and the provider's sign-in was not phishing-resistant, the
portal's own step adds a passkey → the relying party gets its code, and ``amr`` tells all of it.

Chromium is started inside the test (its event loop is the test's), so this file needs none of
tests/browser's session-loop fixtures."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Route, async_playwright, expect
from sqlalchemy import select

from db.models import Passkey, User
from runtime import Services
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.identity.oidc import AuthRequest, RegisteredClient, exchange_code, verified_claims
from tests.sso.dns_server import DnsServer
from tests.sso.node_op import NodeProvider, connect, require
from tests.support.server import LiveServer
from tests.support.smtp import free_port
from tests.support.webauthn import virtual_authenticator

pytestmark = [pytest.mark.node, pytest.mark.browser]

# As in tests/console/test_passkeys.py: no conditional mediation on /login (the virtual
# authenticator would answer it at once).
NO_CONDITIONAL_MEDIATION = (
    "PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);"
)


@pytest.fixture
def settings_overrides(dns_server: DnsServer) -> dict[str, Any]:
    # WebAuthn wants a host name for the relying party id: localhost, not 127.0.0.1.
    return {
        "dns_resolver": dns_server.address,
        "dns_timeout_seconds": 1.0,
        "public_url": f"http://localhost:{free_port()}",
    }


async def test_sso_then_the_portals_passkey_step_in_chromium(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await connect(live, services, op, dns_server)
    await require(services, owner, require_passkey=True)
    email = f"kim@{domain}"
    # Multi-factor at the provider, but not phishing-resistant.
    op.set_account(email, name="Kim Browser", amr=["pwd", "otp"])
    request = AuthRequest(rp, scope="openid profile email")

    async def at_client(route: Route) -> None:
        await route.fulfill(status=200, body="signed in", content_type="text/plain")

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await chromium.new_context(base_url=live.url)
            page = await context.new_page()
            await page.add_init_script(NO_CONDITIONAL_MEDIATION)
            authenticator = await virtual_authenticator(page)
            await page.route(f"{rp.redirect_uri}**", at_client)
            await page.goto(request.url())
            await page.get_by_label("Email").fill(email)
            async with page.expect_navigation(url=f"{op.issuer}/interaction/**"):
                await page.get_by_role("button", name="Login").click()
            # oidc-provider's page, the address passed on as login_hint.
            await expect(page.get_by_label("Email")).to_have_value(email)
            async with page.expect_navigation(url="**/login/passkey/setup"):
                await page.get_by_role("button", name="Sign in").click()
            await expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey")
            await page.get_by_label("Passkey name").fill("Kim laptop")
            async with page.expect_request(lambda r: r.url.startswith(rp.redirect_uri)) as callback:
                await page.get_by_role("button", name="Add a passkey").click()
            url = (await callback.value).url
            assert len(await authenticator.credentials()) == 1
        finally:
            await chromium.close()
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params["state"] == request.state
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    claims = await verified_claims(live.client, tokens["id_token"])
    # The provider's factors, then the portal's passkey (a device-bound virtual one).
    assert claims["amr"] == ["fed", "pwd", "otp", "hwk", "user"]
    async with services.db.read_session() as session:
        names = list(
            await session.scalars(
                select(Passkey.name)
                .join(User, User.id == Passkey.user_id)
                .where(User.email == email)
            )
        )
    assert names == ["Kim laptop"]
