"""Passkeys in chromium with its virtual authenticator (CDP WebAuthn): added on the console's
Account page, then signing in on their own through the OIDC code flow (the ID token's ``amr``
``hwk user``), conditional mediation offered in the email field. The public URL is
``http://localhost:…``: browsers refuse an IP address as RP id, and localhost over http is a
secure context."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import Page, Route, expect
from sqlalchemy import select, update

from db.models import AuditEvent, BrowserSession, Organization, OutboxMessage, Passkey
from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.console.support import customer, sign_in
from tests.factories import create_actor
from tests.identity.oidc import (
    REDIRECT_URI,
    AuthRequest,
    Browser,
    RegisteredClient,
    exchange_code,
    verified_claims,
)
from tests.support.html import parse_page
from tests.support.server import LiveServer
from tests.support.smtp import free_port
from tests.support.webauthn import forge_assertion, virtual_authenticator


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"public_url": f"http://localhost:{free_port()}"}


async def add_passkey(page: Page, name: str) -> None:
    await page.goto("/account")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Add a passkey").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey")
    await page.get_by_label("Passkey name").fill(name)
    async with page.expect_navigation(url="**/account#passkeys"):
        await page.get_by_role("button", name="Create passkey").click()


async def audit_actions(services: Services, prefix: str) -> list[str]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.startswith(prefix))
            .order_by(AuditEvent.occurred_at)
        )
        return list(rows)


async def mails_to(services: Services, email: str) -> list[str]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(OutboxMessage.subject)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.available_at)
        )
        return list(rows)


# Chromium's virtual authenticator answers a conditional request at once (a person would pick
# the passkey from the email field's autofill first); a test that presses the button turns
# conditional mediation off, as in a browser without it.
NO_CONDITIONAL_MEDIATION = (
    "PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);"
)


async def oidc_sign_in_with_passkey(
    page: Page, rp: RegisteredClient, *, press: bool = True
) -> dict[str, str]:
    """An authorization request in the page, "Sign in with a passkey" (or the passkey offered by
    conditional mediation), the client's callback."""
    request = AuthRequest(rp)
    if press:
        await page.add_init_script(NO_CONDITIONAL_MEDIATION)

    async def at_client(route: Route) -> None:
        await route.fulfill(status=200, body="signed in", content_type="text/plain")

    await page.route(f"{REDIRECT_URI}**", at_client)
    async with page.expect_request(lambda r: r.url.startswith(REDIRECT_URI)) as callback:
        await page.goto(request.url())
        assert "/login" in page.url, page.url
        if press:
            await page.get_by_role("button", name="Sign in with a passkey").click()
    params = {k: v[0] for k, v in parse_qs(urlsplit((await callback.value).url).query).items()}
    assert params.get("state") == request.state, params
    return {"code": params["code"], "verifier": request.verifier, "request": request}  # type: ignore[dict-item]


async def test_a_passkey_added_on_the_account_page_signs_in_on_its_own(
    page: Page,
    live: LiveServer,
    services: Services,
    rp: RegisteredClient,
    axe: Axe,
    screenshots: Screenshots,
) -> None:
    actor = await customer(services)
    authenticator = await virtual_authenticator(page)
    await sign_in(page, actor.user.email, "/account")
    await expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()
    await page.goto("/account")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Add a passkey").click()
    await axe(page)
    await screenshots(page, "console-passkey-new")
    await page.get_by_label("Passkey name").fill("Work laptop")
    async with page.expect_navigation(url="**/account#passkeys"):
        await page.get_by_role("button", name="Create passkey").click()
    await expect(page.get_by_role("status").first).to_contain_text("Work laptop")
    table = page.get_by_role("table", name="Your passkeys")
    await expect(table.get_by_label("Name of passkey Work laptop")).to_have_value("Work laptop")
    await expect(table).to_contain_text("Never")
    await axe(page)
    await screenshots(page, "console-account-passkeys")

    stored = await authenticator.only_credential()
    assert stored["isResidentCredential"] is True
    async with services.db.read_session() as session:
        row = (await session.scalars(select(Passkey))).one()
    assert row.user_id == actor.user.id and row.name == "Work laptop"
    assert row.backup_eligible is False  # a virtual platform authenticator: device-bound

    # A new browser context: no session, the same authenticator's credential (no email typed).
    page2 = await page.context.browser.new_page(base_url=live.url)  # type: ignore[union-attr]
    second = await virtual_authenticator(page2)
    await second.add(stored)
    got = await oidc_sign_in_with_passkey(page2, rp)
    tokens = await exchange_code(live.client, got["request"], got["code"])  # type: ignore[arg-type]
    assert tokens.status_code == 200, tokens.text
    claims = await verified_claims(live.client, tokens.json()["id_token"])
    assert claims["sub"] == str(actor.user.id)
    assert claims["amr"] == ["hwk", "user"]
    latest = await second.only_credential()
    await page2.context.close()

    # Conditional mediation: where the browser offers passkeys in the email field's autofill,
    # picking one signs in without pressing anything (the virtual authenticator picks at once).
    page3 = await page.context.browser.new_page(base_url=live.url)  # type: ignore[union-attr]
    await (await virtual_authenticator(page3)).add(latest)
    got = await oidc_sign_in_with_passkey(page3, rp, press=False)
    tokens = await exchange_code(live.client, got["request"], got["code"])  # type: ignore[arg-type]
    claims = await verified_claims(live.client, tokens.json()["id_token"])
    assert claims["sub"] == str(actor.user.id) and claims["amr"] == ["hwk", "user"]
    await page3.context.close()

    actions = await audit_actions(services, "passkey.")
    assert actions == ["passkey.registered", "passkey.used", "passkey.used"], actions
    subjects = await mails_to(services, actor.user.email)
    assert "A passkey was added to your Cloud Portal account" in subjects
    assert "You signed in to Cloud Portal with a passkey" in subjects

    # The list shows the last use.
    await page.goto("/account")
    await expect(page.get_by_role("table", name="Your passkeys")).not_to_contain_text("Never")


SET_REQUIREMENT = """
mutation($input: SetOrganizationPasskeyRequirementInput!) {
  setOrganizationPasskeyRequirement(input: $input) {
    organization { requirePasskey }
    userErrors { code field }
  }
}
"""


async def last_login_amr(services: Services, user_id: object) -> list[str]:
    async with services.db.read_session() as session:
        amr = await session.scalar(
            select(BrowserSession.amr)
            .where(BrowserSession.user_id == user_id)
            .order_by(BrowserSession.created_at.desc())
            .limit(1)
        )
    return (amr or "").split()


async def test_an_organization_requires_passkeys_and_a_passkey_is_the_second_factor(
    new_page: NewPage,
    live: LiveServer,
    services: Services,
    axe: Axe,
    screenshots: Screenshots,
) -> None:
    owner = await customer(services)
    member = await create_actor(
        services, role=Role.USER, organization=owner.organization, with_password=True
    )
    requirement = {"input": {"required": True}}

    # The Super Admin needs a passkey of their own first.
    body = await live.graphql(SET_REQUIREMENT, requirement, headers=owner.headers)
    refused = body["data"]["setOrganizationPasskeyRequirement"]
    assert refused["userErrors"] == [
        {"code": "PASSKEY_NOT_REGISTERED", "field": ["input", "required"]}
    ]
    page = await new_page()
    await virtual_authenticator(page)
    await sign_in(page, owner.user.email, "/account")
    await add_passkey(page, "Owner laptop")
    # Then on the Settings page.
    await page.goto("/settings")
    async with page.expect_navigation(url="**/settings"):
        await page.get_by_role("button", name="Require passkeys").click()
    await expect(page.get_by_role("status").first).to_contain_text("Passkeys are now required")
    await expect(page.get_by_role("button", name="Stop requiring passkeys")).to_be_visible()
    await axe(page)

    # A member without a passkey adds one at the next login, before it completes.
    phone = await new_page(390)
    await phone.add_init_script(NO_CONDITIONAL_MEDIATION)
    authenticator = await virtual_authenticator(phone)
    await sign_in(phone, member.user.email)
    assert phone.url.endswith("/login/passkey/setup"), phone.url
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Add a passkey")
    await axe(phone)
    await screenshots(phone, "login-passkey-setup")
    await phone.get_by_label("Passkey name").fill("Member phone")
    async with phone.expect_navigation(url=f"{live.url}/"):
        await phone.get_by_role("button", name="Add a passkey").click()
    await expect(phone.get_by_role("navigation").first).to_be_visible()
    assert await last_login_amr(services, member.user.id) == ["pwd", "hwk", "user"]
    credential = await authenticator.only_credential()

    # The next password login asks for the passkey, and only the passkey.
    again = await new_page()
    await again.add_init_script(NO_CONDITIONAL_MEDIATION)
    used = await virtual_authenticator(again)
    await used.add(credential)
    await sign_in(again, member.user.email)
    assert again.url.endswith("/login/totp"), again.url
    await expect(again.get_by_label("Authentication code")).to_have_count(0)
    await axe(again)
    await screenshots(again, "login-passkey-second-step")
    async with again.expect_navigation(url=f"{live.url}/"):
        await again.get_by_role("button", name="Use a passkey").click()
    assert await last_login_amr(services, member.user.id) == ["pwd", "hwk", "user"]

    # Without the requirement, an organization that requires two factors takes the passkey
    # instead of TOTP (the member has no TOTP).
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == owner.organization.id)
            .values(require_passkey=False, require_mfa=True)
        )
    third = await new_page()
    await third.add_init_script(NO_CONDITIONAL_MEDIATION)
    # The copy that signed in last: the phone's copy has an older counter (a clone, by now).
    await (await virtual_authenticator(third)).add(await used.only_credential())
    await sign_in(third, member.user.email)
    assert third.url.endswith("/login/totp"), third.url
    async with third.expect_navigation(url=f"{live.url}/"):
        await third.get_by_role("button", name="Use a passkey").click()
    assert await last_login_amr(services, member.user.id) == ["pwd", "hwk", "user"]

    # The member cannot remove the last passkey while the organization requires passkeys.
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == owner.organization.id)
            .values(require_passkey=True)
        )
    await third.goto("/account")
    await third.get_by_role("link", name="Remove passkey Member phone").click()
    await axe(third)
    async with third.expect_navigation(url="**/account#passkeys"):
        await third.get_by_role("button", name="Remove passkey").click()
    await expect(third.get_by_role("alert").first).to_contain_text("requires a passkey")
    actions = await audit_actions(services, "organization.passkey")
    assert actions == ["organization.passkey_requirement_changed"]


async def refusal_reasons(services: Services) -> list[str]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(AuditEvent.details)
            .where(AuditEvent.action == "passkey.refused")
            .order_by(AuditEvent.occurred_at)
        )
        return [str((d or {}).get("reason")) for d in rows]


async def sign_in_challenge(browser: Browser) -> tuple[str, str]:
    """A fresh login page's CSRF token and a sign-in challenge issued for it."""
    login = await browser.navigate("GET", "/login")
    csrf = parse_page(login.text).form("/login/passkey").fields["csrf_token"]
    options = await browser.http.post("/login/passkey/options", data={"csrf_token": csrf})
    assert options.status_code == 200, options.text
    return csrf, options.json()["challenge"]


async def post_assertion(browser: Browser, csrf: str, credential: str) -> httpx.Response:
    return await browser.http.post(
        "/login/passkey", data={"csrf_token": csrf, "credential": credential}
    )


async def test_refused_another_origin_a_replay_a_clone_and_another_accounts_passkey(
    page: Page,
    new_page: NewPage,
    live: LiveServer,
    services: Services,
    axe: Axe,
    screenshots: Screenshots,
) -> None:
    owner = await customer(services)
    authenticator = await virtual_authenticator(page)
    await sign_in(page, owner.user.email, "/account")
    await add_passkey(page, "Laptop")
    credential = await authenticator.only_credential()
    async with services.db.read_session() as session:
        count = (await session.scalars(select(Passkey.sign_count))).one()
    forge = functools.partial(forge_assertion, credential, rp_id="localhost")

    async with Browser(live.url) as browser:
        # Signed on another origin (a phishing page's): refused.
        csrf, challenge = await sign_in_challenge(browser)
        evil = forge(challenge=challenge, origin="https://portal.example.net", sign_count=count + 1)
        refused = await post_assertion(browser, csrf, evil)
        assert refused.headers["location"].startswith("/login"), refused.headers

        # The same, on our origin: signed in.
        csrf, challenge = await sign_in_challenge(browser)
        good = forge(challenge=challenge, origin=live.url, sign_count=count + 1)
        signed_in = await post_assertion(browser, csrf, good)
        assert signed_in.headers["location"] == "/", signed_in.headers

    # Replayed (its challenge is spent), even from a new session: refused.
    async with Browser(live.url) as browser:
        csrf, _ = await sign_in_challenge(browser)
        replayed = await post_assertion(browser, csrf, good)
        assert replayed.headers["location"].startswith("/login"), replayed.headers

        # A counter that went back under a valid signature (a cloned authenticator): refused.
        csrf, challenge = await sign_in_challenge(browser)
        clone = forge(challenge=challenge, origin=live.url, sign_count=count + 1)
        cloned = await post_assertion(browser, csrf, clone)
        assert cloned.headers["location"].startswith("/login"), cloned.headers

    # Another account's second step does not take this account's passkey.
    other = await create_actor(services, with_password=True)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == other.organization.id)
            .values(require_mfa=True)
        )
        session.add(
            Passkey(
                user_id=other.user.id,
                credential_id="b3RoZXI",
                public_key=b"\x00" * 77,
                sign_count=0,
                name="Other",
            )
        )
    async with Browser(live.url) as browser:
        step = await browser.login(await browser.navigate("GET", "/login"), other.user.email)
        assert step.status_code == 200 and "Use a passkey" in step.text, step.status_code
        csrf = parse_page(step.text).form("/login/passkey/verify").fields["csrf_token"]
        options = await browser.http.post(
            "/login/passkey/verify/options", data={"csrf_token": csrf}
        )
        assert [c["id"] for c in options.json()["allowCredentials"]] == ["b3RoZXI"]
        stolen = forge(challenge=options.json()["challenge"], origin=live.url, sign_count=count + 2)
        answer = await browser.http.post(
            "/login/passkey/verify", data={"csrf_token": csrf, "credential": stolen}
        )
        assert answer.headers["location"] == "/login/totp", answer.headers

    assert await refusal_reasons(services) == [
        "wrong_origin",
        "challenge_replayed",
        "counter_went_back",
        "other_account",
    ]
    assert "passkey.clone_suspected" in await audit_actions(services, "passkey.")
    assert "A copy of your passkey was refused" in await mails_to(services, owner.user.email)

    # The browser's own authenticator, cloned with an older counter (CDP addCredential): refused
    # on the login page, with the message beside nothing but the form.
    copy = await new_page()
    await copy.add_init_script(NO_CONDITIONAL_MEDIATION)
    await (await virtual_authenticator(copy)).add({**credential, "signCount": 0})
    await copy.goto("/login")
    async with copy.expect_navigation():
        await copy.get_by_role("button", name="Sign in with a passkey").click()
    await expect(copy.get_by_text("That passkey could not sign you in.")).to_be_visible()
    await axe(copy)
    await screenshots(copy, "login-passkey-refused")
    assert (await refusal_reasons(services))[-1] == "counter_went_back"
