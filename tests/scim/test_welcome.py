"""A person the directory provisions can get in: an account that cannot sign in yet is mailed a
welcome (through the outbox, received by the real SMTP server) — "sign in with your company
account" where the organization's single sign-on covers the address's verified domain, otherwise
an activation link and code that set a password (single use, expiring) and then sign in. No mail
for an inactive member nor for an account that can already sign in; a reactivation welcomes."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from db.models import AccountToken, AuditEvent, SsoConnection, SsoDomain, User
from domain.enums import Role, TokenPurpose, UserStatus
from kit.clock import utcnow
from runtime import Services
from tests.accounts.journeys import GOOD_PASSWORD, activate, outbox_mails
from tests.factories import Actor, create_actor, unique_email
from tests.identity import oidc
from tests.members.support import activation_link
from tests.scim.support import Scim, create_token
from tests.support.gql import call, codes
from tests.support.html import parse_page
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink

SUBJECT = "Your Cloud Portal account for"
VIEWER = "{ viewer { role organization { id } user { email status } } }"


async def _directory(live: LiveServer, services: Services) -> tuple[Actor, Scim]:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    return owner, Scim(live, await create_token(live, owner))


async def _welcomes(services: Services, organization_id: Any) -> list[AuditEvent]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.organization_id == organization_id,
                AuditEvent.action == "scim.user_welcomed",
            )
            .order_by(AuditEvent.occurred_at)
        )
        return list(rows.all())


async def _activation_tokens(services: Services, email: str) -> list[AccountToken]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(AccountToken)
            .join(User, User.id == AccountToken.user_id)
            .where(User.email == email, AccountToken.purpose == TokenPurpose.ACTIVATION)
        )
        return list(rows.all())


async def _single_sign_on(services: Services, organization_id: uuid.UUID) -> str:
    """A verified domain with a connection for the organization, made as rows (as
    tests/authz/rules.py makes a domain): the domain's name. test_welcome_sso.py goes through
    the DNS proof and a real upstream provider instead, and signs the person in there."""
    domain = f"acme-{uuid.uuid4().hex[:8]}.example"
    async with services.db.unit_of_work() as session:
        session.add(
            SsoDomain(
                organization_id=organization_id,
                name=domain,
                token=uuid.uuid4().hex,
                verified_at=utcnow(),
            )
        )
        session.add(
            SsoConnection(
                organization_id=organization_id,
                issuer="https://idp.acme.example",
                client_id="portal",
                client_secret_sealed="not used by these tests",
            )
        )
    return domain


async def _log_in(live: LiveServer, services: Services, email: str, password: str) -> str:
    """An access token the way a browser app gets one: the hosted login, code + PKCE."""
    client = await oidc.register_client(services)
    request = oidc.AuthRequest(client)
    async with oidc.Browser(live.url) as browser:
        page = await browser.navigate("GET", request.url())
        params = oidc.callback_params(await browser.login(page, email, password))
    response = await oidc.exchange_code(live.client, request, params["code"])
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def test_without_single_sign_on_the_link_sets_a_password_once_and_the_person_signs_in(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    owner, scim = await _directory(live, services)
    email = unique_email("welcome")
    created = await scim.create(email, name={"givenName": "Wendy", "familyName": "Welcome"})
    assert created.status_code == 201, created.text

    (mail,) = await smtp.wait_for(email, subject=SUBJECT)
    assert owner.organization.name in mail.subject
    text = mail.text.replace("\r\n", "\n")
    assert "Hello Wendy," in text and owner.organization.name in text
    assert "company account" not in text
    token, code = activation_link(text)
    link = f"{live.url}/activate?token={token}"
    assert f"Activate Account: {link}" in text.splitlines()
    assert f"Activation code: {code}" in text.splitlines()
    assert "expires in 7 days and can be used once" in text
    assert f"{live.url}/activate/resend" in text
    assert f'href="{link}"' in mail.html and code in mail.html
    (issued,) = await _activation_tokens(services, email)
    lifetime = issued.expires_at - issued.created_at
    assert timedelta(days=7) - timedelta(minutes=1) < lifetime <= timedelta(days=7)

    (event,) = await _welcomes(services, owner.organization.id)
    assert event.actor_user_id is None and event.details["scim_token"]
    assert event.details["mail"] == "provisioned" and event.details["reason"] == "created"
    assert event.details["token_id"] == str(issued.id)
    assert event.details["scim_id"] == created.json()["id"]

    # The emailed link, through the hosted page: code and a new password.
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
        page = await http.get(link)
        assert page.status_code == 200, page.text
        form = parse_page(page.text).form("/activate")
        done = await http.post(
            form.action,
            data={
                **form.fields,
                "code": code,
                "password": GOOD_PASSWORD,
                "password_confirmation": GOOD_PASSWORD,
            },
        )
        assert done.status_code == 303 and done.headers["location"] == "/login", done.text
        login = await http.get("/login")
        assert "Your account is verified successfully." in login.text
    async with services.db.read_session() as session:
        account = await session.scalar(select(User).where(User.email == email))
    assert account is not None and account.status is UserStatus.ACTIVE

    # Single use: the same link and code open nothing again.
    assert codes(await activate(live, token, code, GOOD_PASSWORD + " again")) == [
        "INVALID_OR_EXPIRED_CODE"
    ]

    # The person signs in with that password and is a USER of the organization.
    access = await _log_in(live, services, email, GOOD_PASSWORD)
    newcomer = Actor(account, owner.organization, Role.USER, access)
    viewer = (await call(live, newcomer, VIEWER))["data"]["viewer"]
    assert viewer["role"] == "USER" and viewer["user"]["status"] == "ACTIVE"
    assert viewer["organization"]["id"] == str(owner.organization.id)


async def test_an_expired_link_opens_nothing(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    _, scim = await _directory(live, services)
    email = unique_email("late")
    assert (await scim.create(email)).status_code == 201
    (mail,) = await smtp.wait_for(email, subject=SUBJECT)
    token, code = activation_link(mail.text)
    async with services.db.unit_of_work() as session:
        (row,) = await _activation_tokens(services, email)
        fresh = await session.get(AccountToken, row.id)
        assert fresh is not None
        fresh.expires_at = utcnow() - timedelta(seconds=1)
    assert codes(await activate(live, token, code)) == ["INVALID_OR_EXPIRED_CODE"]


async def test_with_single_sign_on_on_the_verified_domain_the_mail_says_company_account(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    owner, scim = await _directory(live, services)
    domain = await _single_sign_on(services, owner.organization.id)
    email = f"alex.{uuid.uuid4().hex[:6]}@{domain}"
    assert (await scim.create(email, name={"givenName": "Alex"})).status_code == 201

    (mail,) = await smtp.wait_for(email, subject=SUBJECT)
    text = mail.text.replace("\r\n", "\n")
    assert "Hello Alex," in text and "sign in with your company account" in text
    assert f"Sign in: {live.url}/login" in text.splitlines()
    assert email in text and email in mail.html
    assert f'href="{live.url}/login"' in mail.html
    assert "/activate" not in text and "Activation code" not in text
    # No password to set: no activation link was issued at all.
    assert await _activation_tokens(services, email) == []
    (event,) = await _welcomes(services, owner.organization.id)
    assert event.details["mail"] == "provisioned_sso"

    # Another address of the same organization, outside its verified domain: a password.
    other = unique_email("outside")
    assert (await scim.create(other)).status_code == 201
    (outside,) = await smtp.wait_for(other, subject=SUBJECT)
    assert "Activation code: " in outside.text and "company account" not in outside.text


async def test_another_organization_s_single_sign_on_does_not_count(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    """The domain is verified, with a connection, by some other organization: this directory's
    person sets a password (the mail only promises what this organization set up)."""
    _, scim = await _directory(live, services)
    elsewhere = await create_actor(services, role=Role.SUPER_ADMIN)
    domain = await _single_sign_on(services, elsewhere.organization.id)
    email = f"sam@{domain}"
    assert (await scim.create(email)).status_code == 201
    (mail,) = await smtp.wait_for(email, subject=SUBJECT)
    assert "Activation code: " in mail.text


async def test_no_mail_for_an_inactive_member_until_the_directory_activates_them(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    owner, scim = await _directory(live, services)
    email = unique_email("dormant")
    created = await scim.create(email, active=False)
    assert created.status_code == 201, created.text
    # The outbox is written in the request's transaction: nothing is there, nothing will be.
    assert await outbox_mails(live, email) == []
    assert await _welcomes(services, owner.organization.id) == []

    # Okta's activation: PATCH replace {"active": true}.
    patched = await scim.patch(created.json()["id"], {"op": "replace", "value": {"active": True}})
    assert patched.status_code == 200, patched.text
    (mail,) = await smtp.wait_for(email, subject=SUBJECT)
    assert "Activation code: " in mail.text
    (event,) = await _welcomes(services, owner.organization.id)
    assert event.details["reason"] == "reactivated"

    # Deactivated and reactivated before they activated: a new link, and the first one died.
    first_token, first_code = activation_link(mail.text)
    for active in (False, True):
        again = await scim.patch(
            created.json()["id"], {"op": "replace", "path": "active", "value": active}
        )
        assert again.status_code == 200, again.text
    _, latest = await smtp.wait_for(email, 2, subject=SUBJECT)
    assert codes(await activate(live, first_token, first_code)) == ["INVALID_OR_EXPIRED_CODE"]
    assert (await activate(live, *activation_link(latest.text)))["activated"] is True
    assert len(await outbox_mails(live, email)) == 2


async def test_no_mail_for_an_account_that_can_already_sign_in(
    live: LiveServer, services: Services
) -> None:
    owner, scim = await _directory(live, services)
    # A member of another organization, with a password.
    existing = await create_actor(services, role=Role.USER, with_password=True)
    created = await scim.create(existing.user.email)
    assert created.status_code == 201, created.text
    # Deactivated and reactivated: still nothing to tell an account that signs in.
    for active in (False, True):
        patched = await scim.patch(
            created.json()["id"], {"op": "replace", "path": "active", "value": active}
        )
        assert patched.status_code == 200, patched.text
    assert await outbox_mails(live, existing.user.email) == []
    assert await _welcomes(services, owner.organization.id) == []
