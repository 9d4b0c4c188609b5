"""The single-sign-on welcome, followed to the end: a customer whose verified domain (DNS proof
through tests/sso's DNS server) signs in at its own OpenID provider (a second Cloud Portal, as in
tests/sso), a person its directory provisions over SCIM is mailed "sign in with your company
account", and doing just that at /login makes them an active member — no password ever set."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AccountToken, AuditEvent, User
from domain.enums import Role, UserStatus
from runtime import Services
from tests.factories import create_actor
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
)
from tests.scim.support import Scim, create_token
from tests.sso.conftest import (  # noqa: F401 (fixtures)
    dns_server,
    settings_overrides,
    upstream,
)
from tests.sso.dns_server import DnsServer
from tests.sso.test_federation import at_provider, federate
from tests.support.gql import data
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink

VIEWER = "{ viewer { role organization { id } user { email status } } }"


async def test_the_welcomed_person_signs_in_with_the_company_account(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,  # noqa: F811 (the fixture imported above)
    dns_server: DnsServer,  # noqa: F811
    rp: RegisteredClient,
    smtp: SmtpSink,
) -> None:
    owner, domain = await federate(live, services, upstream, dns_server)
    directory = Scim(live, await create_token(live, owner))
    email = f"jordan@{domain}"
    created = await directory.create(email, name={"givenName": "Jordan", "familyName": "Lee"})
    assert created.status_code == 201, created.text

    (mail,) = await smtp.wait_for(email, subject="Your Cloud Portal account for")
    text = mail.text.replace("\r\n", "\n")
    assert "sign in with your company account" in text and "/activate" not in text
    login_url = f"{live.url}/login"
    assert f"Sign in: {login_url}" in text.splitlines()

    # The person does what the mail says: the address at /login, then the company's provider.
    await create_actor(upstream.services, role=Role.USER, email=email, with_password=True)
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours, Browser(upstream.url) as theirs:
        sent = await at_provider(live, ours, request, email)
        assert sent.status_code == 303, sent.text
        assert sent.headers["location"].startswith(upstream.url)
        back = await theirs.login(await theirs.navigate("GET", sent.headers["location"]), email)
        assert back.status_code in {302, 303}, back.text
        params = callback_params(await ours.navigate("GET", back.headers["location"]))
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    viewer = (await data(live, tokens["access_token"], VIEWER))["viewer"]
    assert viewer["role"] == "USER" and viewer["user"]["status"] == "ACTIVE"
    assert viewer["organization"]["id"] == str(owner.organization.id)

    async with services.db.read_session() as session:
        account = await session.scalar(select(User).where(User.email == email))
        assert account is not None
        assert account.status is UserStatus.ACTIVE and account.password_hash is None
        assert (
            await session.scalar(select(AccountToken.id).where(AccountToken.user_id == account.id))
            is None
        )
        actions = set(
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.target_id == str(account.id))
            )
        )
    assert {"scim.user_provisioned", "scim.user_welcomed", "sso.account_activated"} <= actions
