"""removeDomain and removeSingleSignOn: the Super Admin alone, another tenant's domain exactly as
missing as one that never existed, every removal audited, and after a removal nobody is sent to
the provider any more: the password login works again for the domain's members."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.models import SsoConnection, SsoDomain
from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import outbox_mails
from tests.accounts.reset_support import NEW_PASSWORD, request_reset, reset, reset_token
from tests.factories import DEFAULT_PASSWORD, create_actor
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
    verified_claims,
)
from tests.sso.dns_server import DnsServer
from tests.sso.support import CLAIM, CONNECTION, DOMAINS, REMOVE_DOMAIN, REMOVE_SSO
from tests.sso.test_domains import audit_actions
from tests.sso.test_federation import at_provider, federate
from tests.support.gql import call, codes, data, error_code, ok, payload_for
from tests.support.server import LiveServer


async def test_a_removed_domain_is_gone_audited_and_free_for_others(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": "gone.example"}}))["domain"]
    removed = await ok(live, owner, REMOVE_DOMAIN, {"id": claimed["id"]})
    assert removed == {"removedDomainId": claimed["id"], "userErrors": []}
    assert (await data(live, owner, DOMAINS))["singleSignOn"]["domains"] == []
    assert await audit_actions(services, owner.organization.id) == [
        "sso.domain_claimed",
        "sso.domain_removed",
    ]
    # Removed twice: as missing as an id that never existed.
    again = await payload_for(live, owner, REMOVE_DOMAIN, {"id": claimed["id"]})
    assert codes(again) == ["NOT_FOUND"] and again["removedDomainId"] is None
    # Claimed afresh: a new claim with a new token (the old TXT record proves nothing).
    fresh = (await ok(live, owner, CLAIM, {"input": {"domain": "gone.example"}}))["domain"]
    assert fresh["id"] != claimed["id"]
    assert fresh["txtRecordValue"] != claimed["txtRecordValue"]


async def test_only_the_super_admin_removes_and_others_domains_look_missing(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    admin = await create_actor(services, role=Role.ADMIN, organization=owner.organization)
    stranger = await create_actor(services, role=Role.SUPER_ADMIN)
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": "kept.example"}}))["domain"]

    assert error_code(await call(live, admin, REMOVE_DOMAIN, {"id": claimed["id"]})) == "FORBIDDEN"
    foreign = await payload_for(live, stranger, REMOVE_DOMAIN, {"id": claimed["id"]})
    never = await payload_for(live, stranger, REMOVE_DOMAIN, {"id": str(uuid.uuid4())})
    assert foreign == never and codes(foreign) == ["NOT_FOUND"]
    assert error_code(await call(live, admin, REMOVE_SSO)) == "FORBIDDEN"
    async with services.db.read_session() as session:
        assert await session.scalar(select(SsoDomain.id)) == uuid.UUID(claimed["id"])


async def test_removing_single_sign_on_brings_the_password_back(
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
        email=f"robin@{domain}",
        with_password=True,
    )
    async with Browser(live.url) as ours:
        sent = await at_provider(live, ours, AuthRequest(rp), member.user.email, DEFAULT_PASSWORD)
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(upstream.url)

    connection_id = (await data(live, owner, CONNECTION))["singleSignOn"]["connection"]["id"]
    removed = await ok(live, owner, REMOVE_SSO, {})
    assert removed["removedConnectionId"] == connection_id
    assert (await data(live, owner, CONNECTION))["singleSignOn"]["connection"] is None
    # The verified domain stays (configuring again needs no new DNS record) …
    listed = (await data(live, owner, DOMAINS))["singleSignOn"]["domains"]
    assert listed == [{"name": domain, "verified": True}]
    # … but routes nobody: the member's password signs in again.
    async with Browser(live.url) as ours:
        request = AuthRequest(rp)
        answer = await at_provider(live, ours, request, member.user.email, DEFAULT_PASSWORD)
        params = callback_params(answer)
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    assert (await verified_claims(live.client, tokens["id_token"]))["amr"] == ["pwd"]

    # Who only ever signed in through the provider has no password yet: password reset sets one.
    sso_only = await create_actor(
        services, role=Role.USER, organization=owner.organization, email=f"sky@{domain}"
    )
    assert sso_only.user.password_hash is None
    assert await request_reset(live, sso_only.user.email) == {"accepted": True, "userErrors": []}
    (mail,) = await outbox_mails(live, sso_only.user.email)
    assert (await reset(live, reset_token(mail)))["reset"] is True
    async with Browser(live.url) as ours:
        request = AuthRequest(rp)
        answer = await at_provider(live, ours, request, sso_only.user.email, NEW_PASSWORD)
        assert callback_params(answer)["state"] == request.state

    actions = await audit_actions(services, owner.organization.id)
    assert "sso.connection_removed" in actions
    nothing = await payload_for(live, owner, REMOVE_SSO, {})
    assert codes(nothing) == ["NOT_CONFIGURED"] and nothing["removedConnectionId"] is None
    async with services.db.read_session() as session:
        assert await session.scalar(select(SsoConnection)) is None
