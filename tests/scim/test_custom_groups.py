"""A directory's own groups (Okta "Push groups", Entra ID): created, read, listed, filtered,
replaced, patched in the shapes those directories send, and deleted, per organization. They carry
members (users of the organization) but no role; their names are unique (the roles' included);
another organization's users are no members, another organization's token sees none of them; a
deleted user leaves them; every change is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import AuditEvent, Membership, ScimGroupMember, User
from domain.enums import Role
from runtime import Services
from tests.factories import create_actor, unique_email
from tests.scim.support import PATCH_SCHEMA, Scim, assert_error, create_token
from tests.support.server import LiveServer

GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


def _patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


def _members(resource: dict[str, Any]) -> list[str]:
    return sorted(m["value"] for m in resource.get("members") or [])


async def _roles(services: Services, organization_id: Any) -> dict[str, Role]:
    async with services.db.read_session() as session:
        rows = await session.execute(
            select(User.email, Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organization_id == organization_id)
        )
        return {email: Role(role) for email, role in rows}


async def _actions(services: Services, organization_id: Any) -> list[str]:
    async with services.db.read_session() as session:
        events = await session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.organization_id == organization_id,
                AuditEvent.action.like("scim.group_%"),
            )
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
        return [e.action for e in events]


async def test_a_directory_group_from_creation_to_deletion(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    scim = Scim(live, await create_token(live, owner))
    ada = (await scim.create(unique_email("ada"))).json()
    bob = (await scim.create(unique_email("bob"))).json()
    roles_before = await _roles(services, owner.organization.id)

    created = await scim.request(
        "POST",
        "/Groups",
        {
            "schemas": [GROUP_SCHEMA],
            "displayName": "Engineering",
            "externalId": "okta-00g1",
            "members": [{"value": ada["id"], "display": "Ada L."}],
        },
    )
    assert created.status_code == 201, created.text
    group = created.json()
    gid = group["id"]
    assert created.headers["Location"] == group["meta"]["location"]
    assert group["meta"]["location"].endswith(f"/scim/v2/Groups/{gid}")
    assert created.headers["ETag"] == group["meta"]["version"] == 'W/"1"'
    assert group["displayName"] == "Engineering" and group["externalId"] == "okta-00g1"
    assert group["members"] == [
        {
            "value": ada["id"],
            "$ref": f"{live.settings.public_url}/scim/v2/Users/{ada['id']}",
            "type": "User",
            "display": "Ada L.",
        }
    ]

    fetched = await scim.request("GET", f"/Groups/{gid}")
    assert fetched.status_code == 200 and fetched.json() == group
    unchanged = await scim.request("GET", f"/Groups/{gid}", headers={"If-None-Match": 'W/"1"'})
    assert unchanged.status_code == 304

    listing = (await scim.request("GET", "/Groups")).json()
    assert listing["totalResults"] == 3
    assert [g["displayName"] for g in listing["Resources"]] == ["Admins", "Users", "Engineering"]
    paged = (await scim.request("GET", "/Groups", params={"startIndex": 3, "count": 1})).json()
    assert paged["totalResults"] == 3 and [g["id"] for g in paged["Resources"]] == [gid]
    for where in ('displayName eq "ENGINEERING"', 'externalId eq "okta-00g1"', f'id eq "{gid}"'):
        found = (await scim.request("GET", "/Groups", params={"filter": where})).json()
        assert [g["id"] for g in found["Resources"]] == [gid], where
    searched = await scim.request(
        "POST",
        "/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'displayName eq "Engineering"',
            "attributes": ["displayName"],
        },
    )
    assert [(g["id"], g.get("members")) for g in searched.json()["Resources"]] == [(gid, None)]

    # Okta and Entra ID add members with a path and a list of values…
    added = await scim.request(
        "PATCH",
        f"/Groups/{gid}",
        _patch({"op": "add", "path": "members", "value": [{"value": bob["id"]}]}),
    )
    assert added.status_code == 200, added.text
    assert _members(added.json()) == sorted([ada["id"], bob["id"]])
    assert added.headers["ETag"] == 'W/"2"'
    # …and remove one with a value filter in the path.
    removed = await scim.request(
        "PATCH",
        f"/Groups/{gid}",
        _patch({"op": "Remove", "path": f'members[value eq "{ada["id"]}"]'}),
    )
    assert removed.status_code == 200, removed.text
    assert _members(removed.json()) == [bob["id"]]
    # Okta renames with a replace of displayName (a path, or a value object without one).
    renamed = await scim.request(
        "PATCH",
        f"/Groups/{gid}",
        _patch({"op": "replace", "path": "displayName", "value": "Platform"}),
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["displayName"] == "Platform"
    renamed = await scim.request(
        "PATCH",
        f"/Groups/{gid}",
        _patch({"op": "replace", "value": {"id": gid, "displayName": "Platform team"}}),
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["displayName"] == "Platform team"
    assert _members(renamed.json()) == [bob["id"]]
    version = renamed.headers["ETag"]

    # Membership in the directory's groups gives no role.
    assert await _roles(services, owner.organization.id) == roles_before

    stale = await scim.request(
        "PUT",
        f"/Groups/{gid}",
        {"schemas": [GROUP_SCHEMA], "displayName": "Ops"},
        headers={"If-Match": 'W/"1"'},
    )
    assert_error(stale, 412)
    replaced = await scim.request(
        "PUT",
        f"/Groups/{gid}",
        {"schemas": [GROUP_SCHEMA], "displayName": "Ops", "members": [{"value": ada["id"]}]},
        headers={"If-Match": version},
    )
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["displayName"] == "Ops" and "externalId" not in body
    assert _members(body) == [ada["id"]]

    assert_error(await scim.request("DELETE", f"/Groups/{gid}", headers={"If-Match": version}), 412)
    deleted = await scim.request("DELETE", f"/Groups/{gid}")
    assert deleted.status_code == 204
    assert_error(await scim.request("GET", f"/Groups/{gid}"), 404)
    assert (await scim.request("GET", "/Groups")).json()["totalResults"] == 2
    # The members stay members of the organization.
    assert (await scim.request("GET", f"/Users/{ada['id']}")).status_code == 200

    assert await _actions(services, owner.organization.id) == [
        "scim.group_created",
        "scim.group_updated",  # bob added
        "scim.group_updated",  # ada removed
        "scim.group_updated",  # renamed
        "scim.group_updated",  # renamed (Okta's value object)
        "scim.group_updated",  # replaced
        "scim.group_deleted",
    ]


async def test_what_a_directory_group_refuses(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    scim = Scim(live, await create_token(live, owner))
    other_owner = await create_actor(services, role=Role.SUPER_ADMIN)
    theirs = Scim(live, await create_token(live, other_owner))
    ours = (await scim.create(unique_email("ann"))).json()
    foreign = (await theirs.create(unique_email("eve"))).json()

    def new(name: str, *members: str) -> dict[str, Any]:
        return {
            "schemas": [GROUP_SCHEMA],
            "displayName": name,
            "members": [{"value": m} for m in members],
        }

    group = (await scim.request("POST", "/Groups", new("Sales", ours["id"]))).json()
    gid = group["id"]
    other = (await scim.request("POST", "/Groups", new("Support"))).json()

    # displayName is unique in the organization (case-insensitively), the roles' names included.
    assert_error(await scim.request("POST", "/Groups", new("SALES")), 409, "uniqueness")
    assert_error(await scim.request("POST", "/Groups", new("users")), 409, "uniqueness")
    assert_error(
        await scim.request(
            "PATCH",
            f"/Groups/{other['id']}",
            _patch({"op": "replace", "path": "displayName", "value": "sales"}),
        ),
        409,
        "uniqueness",
    )
    assert_error(await scim.request("POST", "/Groups", new("  ")), 400, "invalidValue")
    # Another organization may use the same name.
    assert (await theirs.request("POST", "/Groups", new("Sales"))).status_code == 201

    # Another organization's user (or no user at all) is no member.
    assert_error(
        await scim.request("POST", "/Groups", new("Mixed", ours["id"], foreign["id"])),
        400,
        "invalidValue",
    )
    assert_error(
        await scim.request(
            "PATCH",
            f"/Groups/{gid}",
            _patch({"op": "add", "path": "members", "value": [{"value": foreign["id"]}]}),
        ),
        400,
        "invalidValue",
    )
    assert_error(
        await scim.request("POST", "/Groups", new("Ghosts", "not-a-user")), 400, "invalidValue"
    )
    assert _members((await scim.request("GET", f"/Groups/{gid}")).json()) == [ours["id"]]

    # Another organization's token sees none of them.
    for method, body in (
        ("GET", None),
        ("PUT", new("Taken")),
        ("PATCH", _patch({"op": "replace", "path": "displayName", "value": "Taken"})),
        ("DELETE", None),
    ):
        assert_error(await theirs.request(method, f"/Groups/{gid}", body), 404)
    listed = (await theirs.request("GET", "/Groups")).json()
    assert gid not in {g["id"] for g in listed["Resources"]}
    assert (await scim.request("GET", f"/Groups/{gid}")).json()["displayName"] == "Sales"

    # The roles keep their rules.
    assert_error(await scim.request("DELETE", "/Groups/admins"), 403)
    assert_error(
        await scim.request(
            "PATCH",
            "/Groups/users",
            _patch({"op": "replace", "path": "displayName", "value": "Staff"}),
        ),
        400,
        "mutability",
    )
    assert_error(await scim.request("GET", "/Groups/owners"), 404)
    assert_error(
        await scim.request("GET", "/Groups", params={"filter": 'members co "x"'}),
        400,
        "invalidFilter",
    )


async def test_a_deleted_user_leaves_the_directory_groups(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    scim = Scim(live, await create_token(live, owner))
    kim = (await scim.create(unique_email("kim"))).json()
    lee = (await scim.create(unique_email("lee"))).json()
    created = await scim.request(
        "POST",
        "/Groups",
        {
            "schemas": [GROUP_SCHEMA],
            "displayName": "Design",
            "members": [{"value": kim["id"]}, {"value": lee["id"]}],
        },
    )
    group = created.json()
    assert created.headers["ETag"] == 'W/"1"'

    assert (await scim.request("DELETE", f"/Users/{kim['id']}")).status_code == 204

    after = await scim.request("GET", f"/Groups/{group['id']}")
    assert _members(after.json()) == [lee["id"]]
    # Its members changed: so did its version.
    assert after.headers["ETag"] == 'W/"2"'
    async with services.db.read_session() as session:
        left = await session.scalars(select(ScimGroupMember.scim_user_id))
        assert str(kim["id"]) not in {str(i) for i in left.all()}
