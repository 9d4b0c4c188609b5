"""SCIM's Admins and Users groups are the organization's roles, fixed (the directory's own groups:
test_custom_groups.py). A member added to Admins becomes an Admin, removed from it a User again
(Okta's and Entra ID's PATCH shapes); the Super Admin is never moved; another organization's users
are no members to add; all audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import AuditEvent, Membership, User
from domain.enums import Role
from runtime import Services
from tests.factories import create_actor, unique_email
from tests.scim.support import Scim, assert_error, create_token
from tests.support.server import LiveServer

GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


async def _role(services: Services, organization_id: Any, email: str) -> Role:
    async with services.db.read_session() as session:
        role = await session.scalar(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organization_id == organization_id, User.email == email.lower())
        )
    assert role is not None
    return Role(role)


async def test_admins_membership_is_the_admin_role(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    scim = Scim(live, await create_token(live, owner))
    email = unique_email("grace")
    member = (await scim.create(email)).json()

    listing = (await scim.request("GET", "/Groups")).json()
    assert [g["displayName"] for g in listing["Resources"]] == ["Admins", "Users"]
    found = await scim.request("GET", "/Groups", params={"filter": 'displayName eq "admins"'})
    (admins,) = found.json()["Resources"]
    assert admins["id"] == "admins" and not admins.get("members")
    users = (await scim.request("GET", "/Groups/users")).json()
    assert [m["value"] for m in users["members"]] == [member["id"]]

    # Okta: add with a path and a list of values.
    added = await scim.request(
        "PATCH",
        "/Groups/admins",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": member["id"]}]}],
        },
    )
    assert added.status_code == 200, added.text
    assert [m["value"] for m in added.json()["members"]] == [member["id"]]
    assert await _role(services, owner.organization.id, email) is Role.ADMIN

    # Entra ID: remove with a value filter in the path.
    removed = await scim.request(
        "PATCH",
        "/Groups/admins",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Remove", "path": f'members[value eq "{member["id"]}"]'}],
        },
    )
    assert removed.status_code == 200, removed.text
    assert not removed.json().get("members")
    assert await _role(services, owner.organization.id, email) is Role.USER

    # PUT replaces the members.
    replaced = await scim.request(
        "PUT",
        "/Groups/admins",
        {"schemas": [GROUP_SCHEMA], "displayName": "Admins", "members": [{"value": member["id"]}]},
    )
    assert replaced.status_code == 200, replaced.text
    assert await _role(services, owner.organization.id, email) is Role.ADMIN

    async with services.db.read_session() as session:
        events = (
            await session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.organization_id == owner.organization.id,
                    AuditEvent.action == "scim.user_role_changed",
                )
                .order_by(AuditEvent.occurred_at)
            )
        ).all()
    assert [(e.details["from"], e.details["to"]) for e in events] == [
        ("USER", "ADMIN"),
        ("ADMIN", "USER"),
        ("USER", "ADMIN"),
    ]


async def test_what_groups_refuse(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    scim = Scim(live, await create_token(live, owner))
    stranger_owner = await create_actor(services, role=Role.SUPER_ADMIN)
    theirs = Scim(live, await create_token(live, stranger_owner))
    foreign = (await theirs.create(unique_email("eve"))).json()
    boss = (await scim.create(owner.user.email)).json()

    # A role is neither created again (its name is taken), nor deleted.
    created = await scim.request(
        "POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "ADMINS"}
    )
    assert_error(created, 409, "uniqueness")
    assert_error(await scim.request("DELETE", "/Groups/admins"), 403)
    assert_error(await scim.request("GET", "/Groups/owners"), 404)
    assert_error(
        await scim.request("GET", "/Groups", params={"filter": 'members co "x"'}),
        400,
        "invalidFilter",
    )

    def add(value: str) -> dict[str, Any]:
        return {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": value}]}],
        }

    # Another organization's user is no member here.
    assert_error(
        await scim.request("PATCH", "/Groups/admins", add(foreign["id"])), 400, "invalidValue"
    )
    # The Super Admin is not moved.
    assert_error(await scim.request("PATCH", "/Groups/admins", add(boss["id"])), 400, "mutability")
    assert await _role(services, owner.organization.id, owner.user.email) is Role.SUPER_ADMIN
    # Renaming a role, or leaving Users for nothing, is refused.
    renamed = await scim.request(
        "PATCH",
        "/Groups/admins",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Owners"}],
        },
    )
    assert_error(renamed, 400, "mutability")
    member = (await scim.create(unique_email("fred"))).json()
    emptied = await scim.request(
        "PUT", "/Groups/users", {"schemas": [GROUP_SCHEMA], "displayName": "Users", "members": []}
    )
    assert_error(emptied, 400, "mutability")
    assert await _role(services, owner.organization.id, member["userName"]) is Role.USER
