"""Single sign-on against node's oidc-provider (the certified OpenID provider library, v9;
tests/node/upstream_op.mjs), run as its own process: an authorization request of a relying party
at our portal → /login with an address of the verified domain → oidc-provider's login →
/sso/callback → an ordinary portal session → the relying party's code exchange, its ID token's
signature and ``amr`` checked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Membership, User
from domain.enums import Role
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, create_actor
from tests.identity.oidc import AuthRequest, Browser, RegisteredClient
from tests.sso.dns_server import DnsServer
from tests.sso.node_op import (
    NodeProvider,
    connect,
    id_token_claims,
    through_provider,
    to_provider,
)
from tests.support.gql import data
from tests.support.server import LiveServer

pytestmark = pytest.mark.node

VIEWER = "{ viewer { role organization { id } user { email firstName lastName } } }"
ADMINS = [{"group": "portal-admins", "role": "ADMIN"}]


async def test_the_whole_journey_ends_in_an_ordinary_session(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await connect(live, services, op, dns_server)
    email = f"alex@{domain}"
    op.set_account(email, name="Alex Upstream", groups=["engineering"], amr=["pwd"])
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        location = await to_provider(ours, op, request, email.upper())
        assert "code_challenge_method=S256" in location and "nonce=" in location
        assert f"client_id={op.client_id}" in location
        callback = await op.sign_in(location, email, live.url + "/sso/callback")
        assert "code=" in callback and "iss=" in callback
        answer = await ours.navigate("GET", callback)
        tokens, claims = await id_token_claims(live, request, answer)
        # The browser session is an ordinary one: the console opens without another sign-in.
        console = await ours.navigate("GET", "/")
        assert console.status_code == 200 and "Sign in" not in console.text.split("<main")[0]
    assert claims["amr"] == ["fed", "pwd"]
    assert claims["email"] == email and claims["name"] == "Alex Upstream"

    viewer = (await data(live, tokens["access_token"], VIEWER))["viewer"]
    assert viewer == {
        "role": "USER",
        "organization": {"id": str(owner.organization.id)},
        "user": {"email": email, "firstName": "Alex", "lastName": "Upstream"},
    }
    async with services.db.read_session() as session:
        user = await session.scalar(select(User).where(User.email == email))
        assert user is not None and user.password_hash is None
        roles = list(
            await session.scalars(select(Membership.role).where(Membership.user_id == user.id))
        )
        federated = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.target_id == str(user.id), AuditEvent.action == "login.federated"
            )
        )
    assert roles == [Role.USER]
    assert federated is not None
    assert federated.details == {"issuer": op.issuer, "subject": email, "amr": ["pwd"]}


async def test_groups_give_the_role_and_a_later_sign_in_updates_name_and_role(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await connect(live, services, op, dns_server, group_roles=ADMINS)
    email = f"dana@{domain}"
    op.set_account(email, name="Dana Admin", groups=["portal-admins", "other"], amr=["pwd"])
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        answer = await through_provider(live, ours, op, request, email)
        tokens, _ = await id_token_claims(live, request, answer)
    viewer = (await data(live, tokens["access_token"], VIEWER))["viewer"]
    assert viewer["role"] == "ADMIN"
    assert viewer["user"]["firstName"] == "Dana"

    # At the provider: another name, out of the mapped group.
    op.set_account(email, name="Danielle Moved", groups=["other"], amr=["pwd"])
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        answer = await through_provider(live, ours, op, request, email)
        tokens, claims = await id_token_claims(live, request, answer)
    viewer = (await data(live, tokens["access_token"], VIEWER))["viewer"]
    assert viewer["role"] == "USER"
    assert viewer["organization"] == {"id": str(owner.organization.id)}
    assert viewer["user"] == {"email": email, "firstName": "Danielle", "lastName": "Moved"}
    assert claims["name"] == "Danielle Moved"
    async with services.db.read_session() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.organization_id == owner.organization.id)
                .where(AuditEvent.action.like("sso.%"), AuditEvent.target_type == "user")
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["sso.account_created", "sso.member_joined", "sso.role_changed"]


async def test_an_enforced_connection_sends_even_a_right_password_to_the_provider(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await connect(live, services, op, dns_server, enforced=True)
    member = await create_actor(
        services,
        role=Role.USER,
        organization=owner.organization,
        email=f"sam@{domain}",
        with_password=True,
    )
    op.set_account(member.user.email, name="Sam Member", amr=["pwd", "otp"])
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        location = await to_provider(ours, op, request, member.user.email, DEFAULT_PASSWORD)
        callback = await op.sign_in(location, member.user.email, live.url + "/sso/callback")
        answer = await ours.navigate("GET", callback)
        _, claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["fed", "pwd", "otp"]
    assert claims["sub"] == str(member.user.id)


async def test_a_refusal_at_the_provider_is_explained_not_shown(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    _, domain = await connect(live, services, op, dns_server)
    # Nobody of that name at the provider: oidc-provider answers `access_denied` with its own
    # description (upstream_op.mjs puts markup in it).
    async with Browser(live.url) as ours:
        location = await to_provider(ours, op, AuthRequest(rp), f"nobody@{domain}")
        callback = await op.sign_in(location, f"nobody@{domain}", live.url + "/sso/callback")
        assert "error=access_denied" in callback and "error_description=" in callback
        answer = await ours.navigate("GET", callback)
    assert answer.status_code == 200
    assert "did not complete the sign-in" in answer.text
    assert "access_denied" not in answer.text and "No such person" not in answer.text
    assert "<b>" not in answer.text


async def test_an_address_the_provider_did_not_confirm_signs_nobody_in(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    _, domain = await connect(live, services, op, dns_server)
    email = f"unconfirmed@{domain}"
    op.set_account(email, name="Un Confirmed", email_verified=False)
    async with Browser(live.url) as ours:
        answer = await through_provider(live, ours, op, AuthRequest(rp), email)
    assert answer.status_code == 400
    assert "did not confirm your email" in answer.text
    async with services.db.read_session() as session:
        assert await session.scalar(select(User).where(User.email == email)) is None
