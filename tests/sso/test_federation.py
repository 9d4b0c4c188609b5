"""Home-realm discovery end to end, with a second Cloud Portal (its own database, served on its
own port) as the organization's OpenID provider: an authorization request at our portal → /login
with an address of the verified domain → the provider's login → /sso/callback → the relying
party gets its code, and the ID token says ``amr: ["fed", "pwd"]``. A first sign-in creates the account
and joins the organization as USER."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Membership, User
from domain.enums import Role, UserStatus
from identity.oauth import paths
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor, create_actor, create_user
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
    register_client,
    verified_claims,
)
from tests.sso.dns_server import DnsServer
from tests.sso.support import CLAIM, CONFIGURE, CONNECTION, VERIFY
from tests.support.gql import data, ok
from tests.support.html import parse_page
from tests.support.server import LiveServer

VIEWER = "{ viewer { role organization { id } user { email firstName } } }"


async def federate(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    *,
    enforced: bool = False,
) -> tuple[Actor, str]:
    """A customer whose verified domain signs in at ``upstream``: (its Super Admin, the domain)."""
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    domain = f"acme-{uuid.uuid4().hex[:8]}.example"
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": domain}}))["domain"]
    dns_server.records[claimed["txtRecordName"]] = [claimed["txtRecordValue"]]
    await ok(live, owner, VERIFY, {"id": claimed["id"]})
    app = await register_client(upstream.services, redirect_uri=live.url + "/sso/callback")
    assert app.client_secret is not None
    await ok(
        live,
        owner,
        CONFIGURE,
        {
            "input": {
                "issuer": upstream.settings.issuer,
                "clientId": app.client_id,
                "clientSecret": app.client_secret,
                "enforced": enforced,
            }
        },
    )
    return owner, domain


async def at_provider(
    live: LiveServer, browser: Browser, request: AuthRequest, email: str, password: str = ""
) -> Any:
    """The authorization request at our portal, then /login with ``email``: the response."""
    page = await browser.navigate("GET", request.url())
    assert page.status_code == 200, page.text
    return await browser.submit(
        parse_page(page.text), "/login", {"email": email, "password": password}
    )


async def test_a_first_sign_in_through_the_provider_joins_as_user(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await federate(live, services, upstream, dns_server)
    email = f"alex@{domain}"
    await create_actor(upstream.services, role=Role.USER, email=email, with_password=True)
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours, Browser(upstream.url) as theirs:
        sent = await at_provider(live, ours, request, email.upper())
        assert sent.status_code == 303, sent.text
        location = sent.headers["location"]
        assert location.startswith(upstream.url + paths.AUTHORIZE + "?"), location
        assert "code_challenge_method=S256" in location and "nonce=" in location
        # The person signs in at their organization's provider …
        login = await theirs.navigate("GET", location)
        back = await theirs.login(login, email)
        assert back.status_code in {302, 303}, back.text
        assert back.headers["location"].startswith(live.url + "/sso/callback?")
        # … and comes back: the authorization request goes on to the relying party.
        params = callback_params(await ours.navigate("GET", back.headers["location"]))
    assert params["state"] == request.state
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    claims = await verified_claims(live.client, tokens["id_token"])
    assert claims["amr"] == ["fed", "pwd"]
    assert claims["email"] == email

    viewer = (await data(live, tokens["access_token"], VIEWER))["viewer"]
    assert viewer["role"] == "USER"
    assert viewer["organization"]["id"] == str(owner.organization.id)
    assert viewer["user"]["email"] == email
    async with services.db.read_session() as session:
        user = await session.scalar(select(User).where(User.email == email))
        assert user is not None and user.password_hash is None
        roles = list(
            await session.scalars(select(Membership.role).where(Membership.user_id == user.id))
        )
        actions = set(
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.target_id == str(user.id))
            )
        )
    assert roles == [Role.USER]
    assert {"sso.account_created", "sso.member_joined", "login.federated"} <= actions


async def test_the_provider_speaks_only_for_its_own_domains(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    _, domain = await federate(live, services, upstream, dns_server)
    # At the provider, somebody signs in with an address of a domain nobody verified here.
    outsider = f"mallory-{uuid.uuid4().hex[:6]}@elsewhere.example"
    await create_actor(upstream.services, role=Role.USER, email=outsider, with_password=True)
    async with Browser(live.url) as ours, Browser(upstream.url) as theirs:
        sent = await at_provider(live, ours, AuthRequest(rp), f"pat@{domain}")
        login = await theirs.navigate("GET", sent.headers["location"])
        back = await theirs.login(login, outsider)
        answer = await ours.navigate("GET", back.headers["location"])
        assert answer.status_code == 400
        assert "outside its domains" in answer.text
        # The state is spent: replaying the callback gets nowhere.
        replay = await ours.navigate("GET", back.headers["location"])
        assert replay.status_code == 400 and "expired" in replay.text
    async with services.db.read_session() as session:
        assert await session.scalar(select(User).where(User.email == outsider)) is None


async def test_enforced_single_sign_on_refuses_the_password(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await federate(live, services, upstream, dns_server, enforced=True)
    member = await create_actor(
        services,
        role=Role.USER,
        organization=owner.organization,
        email=f"sam@{domain}",
        with_password=True,
    )
    async with Browser(live.url) as ours:
        sent = await at_provider(live, ours, AuthRequest(rp), member.user.email, DEFAULT_PASSWORD)
    # Even with the right password: off to the provider, no session here.
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(upstream.url + paths.AUTHORIZE + "?")


async def test_without_enforcement_a_typed_password_still_signs_in(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await federate(live, services, upstream, dns_server)
    member = await create_actor(
        services,
        role=Role.USER,
        organization=owner.organization,
        email=f"kim@{domain}",
        with_password=True,
    )
    async with Browser(live.url) as ours:
        request = AuthRequest(rp)
        answer = await at_provider(live, ours, request, member.user.email, DEFAULT_PASSWORD)
        params = callback_params(answer)
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    assert (await verified_claims(live.client, tokens["id_token"]))["amr"] == ["pwd"]


async def test_the_super_admin_keeps_a_break_glass_password_login(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    domain = f"glass-{uuid.uuid4().hex[:8]}.example"
    owner = await create_actor(
        services, role=Role.SUPER_ADMIN, email=f"boss@{domain}", with_password=True
    )
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": domain}}))["domain"]
    dns_server.records[claimed["txtRecordName"]] = [claimed["txtRecordValue"]]
    await ok(live, owner, VERIFY, {"id": claimed["id"]})
    app = await register_client(upstream.services, redirect_uri=live.url + "/sso/callback")
    body = {
        "issuer": upstream.settings.issuer,
        "clientId": app.client_id,
        "clientSecret": app.client_secret,
        "enforced": True,
    }
    await ok(live, owner, CONFIGURE, {"input": body})
    async with Browser(live.url) as ours:
        request = AuthRequest(rp)
        answer = await at_provider(live, ours, request, owner.user.email, DEFAULT_PASSWORD)
        params = callback_params(answer)
    async with Browser(live.url) as fresh:
        # Without a password, the Super Admin too goes to the provider.
        sent = await at_provider(live, fresh, AuthRequest(rp), owner.user.email)
    assert sent.headers["location"].startswith(upstream.url + paths.AUTHORIZE + "?")
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    assert (await verified_claims(live.client, tokens["id_token"]))["amr"] == ["pwd"]
    async with services.db.read_session() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.action == "sso.break_glass_attempted",
                    AuditEvent.organization_id == owner.organization.id,
                )
            )
        )
    assert actions == ["sso.break_glass_attempted"]


async def test_a_mapped_group_gives_its_role(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await federate(live, services, upstream, dns_server)
    # The upstream portal's ID token carries one list claim, `amr`: it stands in for groups.
    mapping = {
        "issuer": upstream.settings.issuer,
        "clientId": "unused",
        "clientSecret": "unused",
        "groupsClaim": "amr",
        "groupRoles": [{"group": "pwd", "role": "ADMIN"}],
    }
    app_id = (await data(live, owner, CONNECTION))["singleSignOn"]["connection"]["clientId"]
    app = await register_client(upstream.services, redirect_uri=live.url + "/sso/callback")
    mapping.update(clientId=app.client_id, clientSecret=app.client_secret or "")
    assert app_id != app.client_id
    await ok(live, owner, CONFIGURE, {"input": mapping})
    email = f"dana@{domain}"
    await create_actor(upstream.services, role=Role.USER, email=email, with_password=True)
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours, Browser(upstream.url) as theirs:
        sent = await at_provider(live, ours, request, email)
        back = await theirs.login(await theirs.navigate("GET", sent.headers["location"]), email)
        params = callback_params(await ours.navigate("GET", back.headers["location"]))
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    viewer = (await data(live, tokens["access_token"], VIEWER))["viewer"]
    assert viewer["role"] == "ADMIN"
    assert viewer["organization"]["id"] == str(owner.organization.id)


@pytest.mark.parametrize("status", [UserStatus.ACTIVE, UserStatus.PENDING])
async def test_an_existing_account_joins_and_takes_the_providers_name(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
    status: UserStatus,
) -> None:
    owner, domain = await federate(live, services, upstream, dns_server)
    email = f"robin@{domain}"
    async with services.db.unit_of_work() as session:
        existing = await create_user(
            session, services, email=email, first_name="Old", status=status
        )
    theirs_actor = await create_actor(
        upstream.services, role=Role.USER, email=email, with_password=True
    )
    async with upstream.services.db.unit_of_work() as session:
        at_upstream = await session.get(User, theirs_actor.user.id)
        assert at_upstream is not None
        at_upstream.first_name, at_upstream.last_name = "Robin", "Fed"
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours, Browser(upstream.url) as theirs:
        sent = await at_provider(live, ours, request, email)
        back = await theirs.login(await theirs.navigate("GET", sent.headers["location"]), email)
        params = callback_params(await ours.navigate("GET", back.headers["location"]))
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    viewer = (await data(live, tokens["access_token"], VIEWER))["viewer"]
    assert viewer["role"] == "USER"
    assert viewer["organization"]["id"] == str(owner.organization.id)
    assert viewer["user"] == {"email": email, "firstName": "Robin"}
    async with services.db.read_session() as session:
        user = await session.get(User, existing.id)
        assert user is not None and user.last_name == "Fed"
        # Proven by the provider, a never-activated account is active now; a password it had
        # is untouched (it was not the provider's to change).
        assert user.status is UserStatus.ACTIVE
        assert (user.password_hash is not None) is (status is UserStatus.ACTIVE)


async def test_a_refusal_at_the_provider_is_explained_not_echoed(
    live: LiveServer,
    services: Services,
    upstream: LiveServer,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    _, domain = await federate(live, services, upstream, dns_server)
    async with Browser(live.url) as ours:
        sent = await at_provider(live, ours, AuthRequest(rp), f"lee@{domain}")
        state = parse_qs(urlsplit(sent.headers["location"]).query)["state"][0]
        # A forged state is refused, and spends the pending sign-in (single use, whatever
        # comes back): the real state no longer works either.
        forged = await ours.navigate("GET", "/sso/callback?code=x&state=forged")
        assert forged.status_code == 400 and "expired" in forged.text
        late = await ours.navigate("GET", f"/sso/callback?code=x&state={state}")
        assert late.status_code == 400 and "expired" in late.text
        sent = await at_provider(live, ours, AuthRequest(rp), f"lee@{domain}")
        state = parse_qs(urlsplit(sent.headers["location"]).query)["state"][0]
        raw = "<script>alert(1)</script> upstream says no"
        query = urlencode({"state": state, "error": "access_denied", "error_description": raw})
        answer = await ours.navigate("GET", f"/sso/callback?{query}")
    assert answer.status_code == 200
    assert "did not complete the sign-in" in answer.text
    assert "upstream says no" not in answer.text and "access_denied" not in answer.text
