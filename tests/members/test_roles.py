"""Changing roles, removing members and leaving, for every role (PRODUCT.md §2)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from db.models import Organization, PartnerMapping, TechnicianAssignment
from domain.enums import Role
from runtime import Services
from tests.factories import Actor, add_member
from tests.members.support import (
    CHANGE_ROLE,
    LEAVE,
    MEMBERS,
    REMOVE,
    VIEWER,
    audit_actions,
    create_cast,
    join,
    role_of,
)
from tests.support.gql import call, codes, error_code, mutate, nodes
from tests.support.server import LiveServer


async def change(live: LiveServer, actor: Actor, target: Actor, role: str) -> dict[str, Any]:
    return await mutate(live, actor, CHANGE_ROLE, userId=str(target.user.id), role=role)


async def test_super_admins_and_admins_manage_admins_and_users(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    org = cast.organization

    payload = await change(live, cast.super_admin, cast.user, "ADMIN")
    assert payload["userErrors"] == []
    assert payload["member"]["role"] == "ADMIN"
    assert payload["member"]["user"]["id"] == str(cast.user.user.id)
    assert await role_of(services, cast.user, org) is Role.ADMIN

    # An admin demotes another admin, and promotes a user.
    other = await join(services, org, Role.USER)
    assert (await change(live, cast.admin, cast.user, "USER"))["userErrors"] == []
    assert (await change(live, cast.admin, other, "ADMIN"))["userErrors"] == []
    assert await role_of(services, cast.user, org) is Role.USER
    assert await role_of(services, other, org) is Role.ADMIN

    # The same role again changes nothing and records nothing.
    before = await audit_actions(services, org)
    assert (await change(live, cast.admin, other, "ADMIN"))["userErrors"] == []
    assert await audit_actions(services, org) == before
    assert before.count("member.role_changed") == 3

    # An admin may step down.
    assert (await change(live, cast.admin, cast.admin, "USER"))["userErrors"] == []
    assert await role_of(services, cast.admin, org) is Role.USER


async def test_technicians_manage_users_only(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    tech = cast.technician
    # USER stays USER: allowed (nothing to do); making someone ADMIN or touching an ADMIN is not.
    assert (await change(live, tech, cast.user, "USER"))["userErrors"] == []
    for target, role in ((cast.user, "ADMIN"), (cast.admin, "USER")):
        body = await call(
            live, tech, CHANGE_ROLE, {"input": {"userId": str(target.user.id), "role": role}}
        )
        assert error_code(body) == "FORBIDDEN", body
    assert await role_of(services, cast.user, cast.organization) is Role.USER
    assert await role_of(services, cast.admin, cast.organization) is Role.ADMIN


async def test_users_and_internal_admins_cannot_change_roles(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    org = str(cast.organization.id)
    for actor in (cast.user, cast.internal_admin):
        body = await call(
            live,
            actor,
            CHANGE_ROLE,
            {"input": {"userId": str(cast.admin.user.id), "role": "USER", "organizationId": org}},
        )
        assert error_code(body) == "FORBIDDEN", body
    # The internal admin reads the members, though.
    body = await call(live, cast.internal_admin, MEMBERS, {"org": org})
    assert {m["role"] for m in nodes(body, "members")} == {"SUPER_ADMIN", "ADMIN", "USER"}
    assert await role_of(services, cast.admin, cast.organization) is Role.ADMIN


async def test_the_super_admin_role_only_moves_by_transfer(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    for actor in (cast.super_admin, cast.admin):
        payload = await change(live, actor, cast.super_admin, "ADMIN")
        assert codes(payload) == ["CANNOT_CHANGE_SUPER_ADMIN"], payload
        assert payload["userErrors"][0]["field"] == ["input", "userId"]
    for role in ("SUPER_ADMIN", "TECHNICIAN", "INTERNAL_ADMIN"):
        payload = await change(live, cast.super_admin, cast.admin, role)
        assert codes(payload) == ["INVALID_ROLE"], payload
        assert payload["userErrors"][0]["field"] == ["input", "role"]
    assert await role_of(services, cast.super_admin, cast.organization) is Role.SUPER_ADMIN
    assert await role_of(services, cast.admin, cast.organization) is Role.ADMIN


async def test_a_stranger_finds_nothing(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    member = str(cast.user.user.id)
    org = str(cast.organization.id)
    random = str(uuid.uuid4())
    # The member of another organization, in the stranger's own organization: no such member.
    foreign = await change(live, cast.stranger, cast.user, "ADMIN")
    missing = await mutate(live, cast.stranger, CHANGE_ROLE, userId=random, role="ADMIN")
    garbage = await mutate(live, cast.stranger, CHANGE_ROLE, userId="nope", role="ADMIN")
    assert foreign == missing == garbage
    assert codes(foreign) == ["NOT_FOUND"]
    # Naming the other organization: no such organization.
    named = await mutate(
        live, cast.stranger, CHANGE_ROLE, userId=member, role="ADMIN", organizationId=org
    )
    unknown = await mutate(
        live, cast.stranger, CHANGE_ROLE, userId=member, role="ADMIN", organizationId=random
    )
    assert named == unknown and codes(named) == ["NOT_FOUND"]
    removal = await mutate(live, cast.stranger, REMOVE, userId=member, organizationId=org)
    assert codes(removal) == ["NOT_FOUND"]
    body = await call(live, cast.stranger, MEMBERS, {"org": org})
    assert error_code(body) == "NOT_FOUND"
    assert body == await call(live, cast.stranger, MEMBERS, {"org": random})
    assert await role_of(services, cast.user, cast.organization) is Role.USER


async def test_removal_per_role(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    org = cast.organization
    users = [await join(services, org, Role.USER) for _ in range(3)]
    admins = [await join(services, org, Role.ADMIN) for _ in range(2)]

    async def remove(actor: Actor, target: Actor) -> dict[str, Any]:
        return await mutate(live, actor, REMOVE, userId=str(target.user.id))

    assert (await remove(cast.super_admin, admins[0]))["removedUserId"] == str(admins[0].user.id)
    assert (await remove(cast.admin, admins[1]))["userErrors"] == []
    assert (await remove(cast.admin, users[0]))["userErrors"] == []
    assert (await remove(cast.technician, users[1]))["userErrors"] == []
    for actor, target in ((cast.technician, cast.admin), (cast.user, users[2])):
        body = await call(live, actor, REMOVE, {"input": {"userId": str(target.user.id)}})
        assert error_code(body) == "FORBIDDEN", body
    for actor in (cast.super_admin, cast.admin):
        payload = await remove(actor, cast.super_admin)
        assert codes(payload) == ["CANNOT_REMOVE_SUPER_ADMIN"], payload
    for gone in (admins[0], admins[1], users[0], users[1]):
        assert await role_of(services, gone, org) is None
    for kept in (cast.super_admin, cast.admin, cast.user, users[2]):
        assert await role_of(services, kept, org) is not None
    assert (await audit_actions(services, org)).count("member.removed") == 4

    # Removing someone who is no longer there: not found (and the removal is not repeated).
    assert codes(await remove(cast.admin, users[0])) == ["NOT_FOUND"]
    # An admin may remove themself (that is leaving).
    assert (await remove(cast.admin, cast.admin))["userErrors"] == []


async def test_removal_ends_access_on_the_very_next_request(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    victim = cast.admin
    # Also a member of a second organization, which stays.
    async with services.db.unit_of_work() as session:
        await add_member(session, victim.user, cast.stranger.organization, Role.USER)
    assert nodes(await call(live, victim, MEMBERS), "members")

    assert (await mutate(live, cast.super_admin, REMOVE, userId=str(victim.user.id)))[
        "userErrors"
    ] == []
    # The same, still valid token: the removed organization is no longer reachable.
    assert error_code(await call(live, victim, MEMBERS)) == "FORBIDDEN"  # X-Organization-Id
    body = await live.graphql(MEMBERS, {"org": str(cast.organization.id)}, token=victim.token)
    assert error_code(body) == "NOT_FOUND"
    # Without naming one, the token works in the organization that remains.
    body = await live.graphql(VIEWER, token=victim.token)
    assert body["data"]["viewer"]["organization"]["id"] == str(cast.stranger.organization.id)
    assert body["data"]["viewer"]["organizations"] == [{"id": str(cast.stranger.organization.id)}]


async def test_leaving(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    org = str(cast.organization.id)
    payload = await mutate(live, cast.user, LEAVE, organizationId=org)
    assert payload == {"leftOrganizationId": org, "userErrors": []}
    assert await role_of(services, cast.user, cast.organization) is None
    # With no organization left, the token reaches nothing (and login is refused: domain.login).
    assert error_code(await live.graphql(VIEWER, token=cast.user.token)) == "FORBIDDEN"

    payload = await mutate(live, cast.super_admin, LEAVE, organizationId=org)
    assert codes(payload) == ["SUPER_ADMIN_CANNOT_LEAVE"]
    payload = await mutate(live, cast.technician, LEAVE, organizationId=org)
    assert codes(payload) == ["NOT_A_MEMBER"]
    payload = await mutate(live, cast.stranger, LEAVE, organizationId=org)
    assert codes(payload) == ["NOT_FOUND"]
    body = await call(live, cast.internal_admin, LEAVE, {"input": {"organizationId": org}})
    assert error_code(body) == "FORBIDDEN"
    assert "member.left" in await audit_actions(services, cast.organization)


async def test_leaving_a_partner_ends_its_technician_assignments(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    technician = cast.technician
    assert nodes(await call(live, technician, MEMBERS), "members")
    async with services.db.read_session() as session:
        partner_id = await session.scalar(
            select(PartnerMapping.partner_organization_id).where(
                PartnerMapping.customer_organization_id == cast.organization.id
            )
        )
        partner = await session.get(Organization, partner_id)
    assert partner is not None
    partner_owner = await join(services, partner, Role.SUPER_ADMIN)

    payload = await mutate(live, partner_owner, REMOVE, userId=str(technician.user.id))
    assert payload["userErrors"] == [], payload
    # The same token no longer reaches the customer, and the assignment is gone for good.
    assert error_code(await call(live, technician, MEMBERS)) == "FORBIDDEN"
    async with services.db.read_session() as session:
        left = await session.scalar(
            select(func.count())
            .select_from(TechnicianAssignment)
            .where(TechnicianAssignment.user_id == technician.user.id)
        )
    assert left == 0
