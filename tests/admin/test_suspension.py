"""Suspending and reactivating organizations: who may, what it does to members' logins, tokens
and refresh tokens, to a partner's technicians, and what the audit log keeps."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from db.models import AuditEvent
from domain.enums import Role
from runtime import Services
from tests.admin.support import REACTIVATE, SUSPEND
from tests.factories import Actor, add_member, create_actor
from tests.identity.oidc import (
    VIEWER,
    AuthRequest,
    Browser,
    RegisteredClient,
    full_sign_in,
    refresh,
)
from tests.partners.support import add_staff, create_partner, map_directly
from tests.support.gql import call, codes, data, graphql_code
from tests.support.html import parse_page
from tests.support.server import LiveServer
from tests.support.sql import count_statements

ORGANIZATIONS = "{ viewer { organizations { id } } }"


async def suspend(live: LiveServer, admin: Actor, organization_id: Any, reason: str) -> Any:
    variables = {"input": {"organizationId": str(organization_id), "reason": reason}}
    return (await data(live, admin, SUSPEND, variables))["suspendOrganization"]


async def reactivate(live: LiveServer, admin: Actor, organization_id: Any) -> Any:
    variables = {"input": {"organizationId": str(organization_id)}}
    return (await data(live, admin, REACTIVATE, variables))["reactivateOrganization"]


async def login_page_text(live: LiveServer, rp: RegisteredClient, email: str) -> str:
    async with Browser(live.url) as browser:
        page = await browser.navigate("GET", AuthRequest(rp).url())
        answer = await browser.login(page, email)
        if answer.status_code in {302, 303}:
            return "signed in"
        return parse_page(answer.text).text


async def test_a_suspended_organization_is_shut_out_and_reactivation_restores_it(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    member = await create_actor(services, role=Role.ADMIN, with_password=True)
    organization = member.organization
    # Someone who also belongs to another organization keeps that one.
    elsewhere = await create_actor(services, role=Role.SUPER_ADMIN)
    async with services.db.unit_of_work() as session:
        await add_member(session, elsewhere.user, organization, Role.USER)
    _, first = await full_sign_in(live.url, live.client, rp, member.user.email)
    _, second = await full_sign_in(live.url, live.client, rp, member.user.email)
    token = first["access_token"]
    assert graphql_code(await live.graphql(VIEWER, token=token)) is None

    done = await suspend(live, admin, organization.id, "  Unpaid invoices\r\nsince March ")
    assert done["userErrors"] == []
    assert done["organization"]["status"] == "SUSPENDED"
    assert done["organization"]["suspendedReason"] == "Unpaid invoices\nsince March"
    assert done["organization"]["suspendedAt"] is not None

    # The still-valid access token is refused at once, with a small fixed cost per request.
    with count_statements(services.db.engine) as statements:
        assert graphql_code(await live.graphql(VIEWER, token=token)) == "FORBIDDEN"
    # The principal's one read (account with its grant, memberships and assignments in one
    # statement); nothing per field.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    scoped = {"Authorization": f"Bearer {token}", "X-Organization-Id": str(organization.id)}
    assert graphql_code(await live.graphql(VIEWER, headers=scoped)) == "FORBIDDEN"
    # No refresh (and a tried refresh token's family ends), no login: only someone who knows
    # the password learns that the account cannot sign in now.
    assert (await refresh(live.client, rp, first["refresh_token"])).status_code == 400
    assert graphql_code(await live.graphql(VIEWER, token=second["access_token"])) == "FORBIDDEN"
    assert "cannot sign in" in await login_page_text(live, rp, member.user.email)
    # A member of another organization still works there, and no longer reaches this one.
    theirs = await data(live, elsewhere, ORGANIZATIONS)
    assert [o["id"] for o in theirs["viewer"]["organizations"]] == [str(elsewhere.organization.id)]

    again = await suspend(live, admin, organization.id, "Twice")
    assert codes(again) == ["ALREADY_SUSPENDED"]
    assert again["userErrors"][0]["field"] == ["input", "organizationId"]
    assert again["organization"] is None

    back = await reactivate(live, admin, organization.id)
    assert back["userErrors"] == []
    assert back["organization"] == {
        "id": str(organization.id),
        "status": "ACTIVE",
        "suspendedAt": None,
        "suspendedReason": None,
    }
    # Tokens come back to life — except the session whose refresh was refused: that sign-in
    # ended (a refused refresh ends its family), its person signs in again.
    assert graphql_code(await live.graphql(VIEWER, token=second["access_token"])) is None
    assert (await refresh(live.client, rp, second["refresh_token"])).status_code == 200
    assert graphql_code(await live.graphql(VIEWER, token=token)) == "UNAUTHENTICATED"
    assert await login_page_text(live, rp, member.user.email) == "signed in"
    theirs = await data(live, elsewhere, ORGANIZATIONS)
    assert len(theirs["viewer"]["organizations"]) == 2
    assert codes(await reactivate(live, admin, organization.id)) == ["NOT_SUSPENDED"]

    async with services.db.read_session() as session:
        events = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.organization_id == organization.id)
                .where(
                    AuditEvent.action.in_(["organization.suspended", "organization.reactivated"])
                )
                .order_by(AuditEvent.id)
            )
        ).all()
    assert [e.action for e in events] == ["organization.suspended", "organization.reactivated"]
    for event in events:
        assert event.actor_user_id == admin.user.id
        assert event.target_type == "organization" and event.target_id == str(organization.id)
        assert event.client_address == "127.0.0.1"
        assert event.occurred_at is not None
    assert events[0].details["reason"] == "Unpaid invoices\nsince March"


async def _userinfo(live: LiveServer, access_token: str) -> int:
    answer = await live.client.get(
        "/oauth/userinfo", headers={"Authorization": f"Bearer {access_token}"}
    )
    return answer.status_code


async def test_userinfo_refuses_a_suspended_organization_s_member_like_graphql(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    """Outside test: /oauth/userinfo still answered for a member of a suspended organization
    while GraphQL refused the same token. Both follow one rule (ActiveUser.may_act)."""
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    member = await create_actor(services, role=Role.ADMIN, with_password=True)
    _, tokens = await full_sign_in(live.url, live.client, rp, member.user.email)
    token = tokens["access_token"]
    assert await _userinfo(live, token) == 200

    assert (await suspend(live, admin, member.organization.id, "Audit"))["userErrors"] == []
    assert graphql_code(await live.graphql(VIEWER, token=token)) == "FORBIDDEN"
    refused = await live.client.get("/oauth/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403 and refused.json()["error"] == "access_denied"
    assert member.user.email not in refused.text
    # (The refresh is refused too: see the test above.)

    assert (await reactivate(live, admin, member.organization.id))["userErrors"] == []
    assert await _userinfo(live, token) == 200


async def test_a_suspended_partner_s_technicians_lose_its_customers(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    partner, _ = await create_partner(services)
    staff = await add_staff(services, partner)
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    await map_directly(
        services, partner.organization, customer.organization, technicians=(staff.user.id,)
    )
    as_technician = {
        "Authorization": f"Bearer {staff.token}",
        "X-Organization-Id": str(customer.organization.id),
    }
    viewer = await live.graphql("{ viewer { role } }", headers=as_technician)
    assert viewer["data"]["viewer"]["role"] == "TECHNICIAN"

    assert (await suspend(live, admin, partner.organization.id, "Contract ended"))[
        "userErrors"
    ] == []
    assert graphql_code(await live.graphql("{ viewer { role } }", headers=as_technician)) == (
        "FORBIDDEN"
    )
    assert graphql_code(await live.graphql(VIEWER, token=staff.token)) == "FORBIDDEN"
    # The customer itself carries on.
    assert graphql_code(await call(live, customer, VIEWER)) is None

    assert (await reactivate(live, admin, partner.organization.id))["userErrors"] == []
    viewer = await live.graphql("{ viewer { role } }", headers=as_technician)
    assert viewer["data"]["viewer"]["role"] == "TECHNICIAN"


async def test_who_may_suspend_what(live: LiveServer, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    partner, _ = await create_partner(services)
    target = str(owner.organization.id)
    for actor in (owner, partner):
        body = await call(
            live, actor, SUSPEND, {"input": {"organizationId": target, "reason": "x"}}
        )
        assert graphql_code(body) == "FORBIDDEN" and body["data"] is None
        body = await call(live, actor, REACTIVATE, {"input": {"organizationId": target}})
        assert graphql_code(body) == "FORBIDDEN"
    body = await call(live, None, SUSPEND, {"input": {"organizationId": target, "reason": "x"}})
    assert graphql_code(body) == "UNAUTHENTICATED"

    # The vendor's own organization cannot be suspended; a missing one is NOT_FOUND.
    internal = await suspend(live, admin, admin.organization.id, "no")
    assert codes(internal) == ["CANNOT_SUSPEND_INTERNAL"]
    missing = [await suspend(live, admin, value, "gone") for value in (uuid.uuid4(), "nope")]
    assert [codes(m) for m in missing] == [["NOT_FOUND"], ["NOT_FOUND"]]
    assert missing[0]["userErrors"] == missing[1]["userErrors"]
    assert codes(await reactivate(live, admin, uuid.uuid4())) == ["NOT_FOUND"]
    # A reason is required, and at most 500 characters.
    for reason, code in (("   ", "REQUIRED"), ("x" * 501, "TOO_LONG")):
        refused = await suspend(live, admin, target, reason)
        assert codes(refused) == [code]
        assert refused["userErrors"][0]["field"] == ["input", "reason"]
    assert graphql_code(await call(live, owner, VIEWER)) is None  # nothing changed
