"""SCIM provisioning over real HTTP: what a provisioned user is in the portal (a membership of the
token's organization), what deactivation and deletion do to it (that membership only), every
refusal in SCIM's error format, isolation between organizations, the token's life, the audit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from db.models import AuditEvent, Membership, ScimUser, User
from domain.enums import Role, UserStatus
from runtime import Services
from tests.factories import Actor, create_actor, unique_email
from tests.scim.support import (
    REVOKE_TOKEN,
    SCIM_JSON,
    TOKENS,
    USER_SCHEMA,
    Scim,
    assert_error,
    create_token,
)
from tests.support.gql import call, data, ok
from tests.support.server import LiveServer

LOCATIONS = "query($org: ID) { locations(organizationId: $org, first: 1) { totalCount } }"
MEMBERS = """
query($org: ID) {
  members(organizationId: $org, first: 50) { edges { node { user { email } suspendedAt } } }
}
"""


async def _directory(live: LiveServer, services: Services) -> tuple[Actor, Scim]:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    return owner, Scim(live, await create_token(live, owner))


async def _membership(services: Services, user_id: Any, organization_id: Any) -> Membership | None:
    async with services.db.read_session() as session:
        found: Membership | None = await session.scalar(
            select(Membership).where(
                Membership.user_id == user_id, Membership.organization_id == organization_id
            )
        )
        return found


async def _events(services: Services, organization_id: Any, prefix: str) -> list[AuditEvent]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.organization_id == organization_id, AuditEvent.action.startswith(prefix)
            )
            .order_by(AuditEvent.occurred_at)
        )
        return list(rows.all())


async def _reaches(live: LiveServer, actor: Actor, organization_id: Any) -> bool:
    body = await call(live, actor, LOCATIONS, {"org": str(organization_id)})
    return bool(body.get("data") and body["data"]["locations"] is not None)


async def test_a_new_person_becomes_a_user_member_and_is_found_by_user_name(
    live: LiveServer, services: Services
) -> None:
    owner, scim = await _directory(live, services)
    email = unique_email("alice")
    response = await scim.create(
        email,
        name={"givenName": "Alice", "familyName": "Liddell"},
        externalId="00u1",
        emails=[{"value": email, "primary": True, "type": "work"}],
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith(SCIM_JSON)
    created = response.json()
    assert created["schemas"] == [USER_SCHEMA]
    assert created["userName"] == email and created["externalId"] == "00u1"
    assert created["meta"]["resourceType"] == "User"
    assert response.headers["location"] == created["meta"]["location"]
    assert response.headers["location"].endswith(f"/scim/v2/Users/{created['id']}")
    assert response.headers["etag"] == created["meta"]["version"]

    async with services.db.read_session() as session:
        account = await session.scalar(select(User).where(User.email == email))
        assert account is not None
        assert (account.first_name, account.last_name) == ("Alice", "Liddell")
        assert account.status is UserStatus.PENDING and account.password_hash is None
    membership = await _membership(services, account.id, owner.organization.id)
    assert membership is not None and membership.role is Role.USER
    assert membership.suspended_at is None

    # Okta's and Entra ID's lookup before a create, case-insensitive on userName.
    found = await scim.request("GET", "/Users", params={"filter": f'userName eq "{email.upper()}"'})
    assert found.status_code == 200, found.text
    listing = found.json()
    assert listing["totalResults"] == 1 and listing["Resources"][0]["id"] == created["id"]
    by_external = await scim.request("GET", "/Users", params={"filter": 'externalId eq "00u1"'})
    assert by_external.json()["totalResults"] == 1
    missing = await scim.request("GET", "/Users", params={"filter": 'userName eq "nobody"'})
    assert missing.json()["totalResults"] == 0 and missing.json().get("Resources", []) == []

    # A person who cannot sign in yet is welcomed by mail (tests/scim/test_welcome.py).
    event, welcomed = await _events(services, owner.organization.id, "scim.user_")
    assert welcomed.action == "scim.user_welcomed"
    assert event.action == "scim.user_provisioned" and event.actor_user_id is None
    assert event.target_id == str(account.id)
    assert event.details["scim_id"] == created["id"] and event.details["joined"] is True
    assert event.details["scim_token"]


async def test_pagination_counts_from_one(live: LiveServer, services: Services) -> None:
    _, scim = await _directory(live, services)
    names = [unique_email(f"p{i}") for i in range(3)]
    for name in names:
        assert (await scim.create(name)).status_code == 201
    first = (await scim.request("GET", "/Users", params={"startIndex": 1, "count": 2})).json()
    assert (first["totalResults"], first["startIndex"], first["itemsPerPage"]) == (3, 1, 2)
    rest = (await scim.request("GET", "/Users", params={"startIndex": 3, "count": 2})).json()
    assert (rest["startIndex"], rest["itemsPerPage"]) == (3, 1)
    seen = [u["userName"] for u in first["Resources"] + rest["Resources"]]
    assert sorted(seen) == sorted(names)
    none = (await scim.request("GET", "/Users", params={"count": 0})).json()
    assert none["totalResults"] == 3 and none["itemsPerPage"] == 0


async def test_an_existing_account_joins_keeps_everything_and_only_this_membership_is_suspended(
    live: LiveServer, services: Services
) -> None:
    owner, scim = await _directory(live, services)
    # An Admin of another organization, with a password and a name of their own.
    person = await create_actor(services, role=Role.ADMIN, with_password=True)
    other = person.organization.id
    response = await scim.create(
        person.user.email.upper(), name={"givenName": "Directory", "familyName": "Name"}
    )
    assert response.status_code == 201, response.text
    scim_id = response.json()["id"]
    async with services.db.read_session() as session:
        account = await session.get(User, person.user.id)
        assert account is not None
        assert account.first_name == person.user.first_name  # the directory does not rename
        assert account.password_hash == person.user.password_hash
        assert account.status is UserStatus.ACTIVE
    joined = await _membership(services, person.user.id, owner.organization.id)
    assert joined is not None and joined.role is Role.USER
    kept = await _membership(services, person.user.id, other)
    assert kept is not None and kept.role is Role.ADMIN
    assert await _reaches(live, person, owner.organization.id)

    # Entra ID's deactivation: its PATCH shape (capitalized op, no path, a value object).
    patched = await scim.patch(scim_id, {"op": "Replace", "value": {"active": False}})
    assert patched.status_code == 200, patched.text
    assert patched.json()["active"] is False
    suspended = await _membership(services, person.user.id, owner.organization.id)
    assert suspended is not None and suspended.suspended_at is not None
    # The organization's admins see it in the member list.
    members = (await data(live, owner, MEMBERS, {}))["members"]["edges"]
    shown = {e["node"]["user"]["email"]: e["node"]["suspendedAt"] for e in members}
    assert shown[person.user.email] is not None and shown[owner.user.email] is None
    # The same access token, at its next request: this organization is gone, the other stays.
    assert not await _reaches(live, person, owner.organization.id)
    assert await _reaches(live, person, other)
    restored = await scim.patch(scim_id, {"op": "replace", "path": "active", "value": True})
    assert restored.status_code == 200 and restored.json()["active"] is True
    assert await _reaches(live, person, owner.organization.id)

    deleted = await scim.request("DELETE", f"/Users/{scim_id}")
    assert deleted.status_code == 204, deleted.text
    assert await _membership(services, person.user.id, owner.organization.id) is None
    assert await _membership(services, person.user.id, other) is not None
    async with services.db.read_session() as session:
        assert await session.get(User, person.user.id) is not None
        assert (
            await session.scalar(select(ScimUser).where(ScimUser.id == uuid.UUID(scim_id))) is None
        )
    assert_error(await scim.request("GET", f"/Users/{scim_id}"), 404)
    actions = [e.action for e in await _events(services, owner.organization.id, "scim.user_")]
    assert actions == [
        "scim.user_provisioned",
        "scim.user_deactivated",
        "scim.user_reactivated",
        "scim.user_deleted",
    ]


async def test_put_replaces_and_okta_patch_with_a_path_deactivates(
    live: LiveServer, services: Services
) -> None:
    _, scim = await _directory(live, services)
    email = unique_email("bob")
    created = (await scim.create(email, displayName="Bob")).json()
    other_email = unique_email("bobby")
    replaced = await scim.request(
        "PUT",
        f"/Users/{created['id']}",
        {
            "schemas": [USER_SCHEMA],
            "userName": other_email,
            "displayName": "Robert",
            "active": False,
            "emails": [{"value": email, "primary": True}],
        },
    )
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert (body["userName"], body["displayName"], body["active"]) == (other_email, "Robert", False)
    assert body["meta"]["version"] != created["meta"]["version"]
    fetched = await scim.request("GET", f"/Users/{created['id']}")
    assert fetched.json()["displayName"] == "Robert"
    # A stale ETag is refused; the current one is honoured.
    stale = await scim.request(
        "PATCH",
        f"/Users/{created['id']}",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "displayName", "value": "X"}],
        },
        headers={"If-Match": created["meta"]["version"]},
    )
    assert_error(stale, 412)
    unchanged = await scim.request(
        "GET", f"/Users/{created['id']}", headers={"If-None-Match": body["meta"]["version"]}
    )
    assert unchanged.status_code == 304


async def test_refusals_are_scim_errors(live: LiveServer, services: Services) -> None:
    owner, scim = await _directory(live, services)
    email = unique_email("carol")
    assert (await scim.create(email)).status_code == 201
    # uniqueness: the same userName (any case)
    assert_error(await scim.create(email.upper()), 409, "uniqueness")
    # invalidValue: no email anywhere
    assert_error(await scim.create("carol-without-mail"), 400, "invalidValue")
    # invalidFilter: what is not supported is said so
    for bad in ('displayName co "x"', "userName eq x", "userName eq", r'userName eq "\q"'):
        response = await scim.request("GET", "/Users", params={"filter": bad})
        assert_error(response, 400, "invalidFilter")
    # invalidSyntax: not JSON, not an object
    raw = await live.client.post(
        "/scim/v2/Users",
        content=b"{not json",
        headers={"Authorization": f"Bearer {scim.token}", "Content-Type": SCIM_JSON},
    )
    assert_error(raw, 400, "invalidSyntax")
    assert_error(await scim.request("POST", "/Users", ["a"]), 400, "invalidSyntax")
    # the wrong media type, a body over the limit
    form = await live.client.post(
        "/scim/v2/Users",
        content=b"userName=x",
        headers={
            "Authorization": f"Bearer {scim.token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert_error(form, 415)
    big = {"schemas": [USER_SCHEMA], "userName": "x" * live.settings.scim_max_body_bytes}
    assert_error(await scim.request("POST", "/Users", big), 413)
    # unknown ids, endpoints and methods
    assert_error(await scim.request("GET", f"/Users/{uuid.uuid4()}"), 404)
    assert_error(await scim.request("GET", "/Users/not-an-id"), 404)
    assert_error(await scim.request("GET", "/Bulk"), 404)
    not_allowed = await scim.request("DELETE", "/Users")
    assert_error(not_allowed, 405)
    assert not_allowed.headers["allow"] == "GET, POST"
    # The Super Admin is provisioned like anyone, but neither deactivated nor deleted.
    boss = (await scim.create(owner.user.email)).json()
    assert_error(
        await scim.patch(boss["id"], {"op": "replace", "path": "active", "value": False}),
        400,
        "mutability",
    )
    assert_error(await scim.request("DELETE", f"/Users/{boss['id']}"), 400, "mutability")
    membership = await _membership(services, owner.user.id, owner.organization.id)
    assert membership is not None and membership.role is Role.SUPER_ADMIN
    assert membership.suspended_at is None


async def test_without_a_valid_token_nothing_is_answered(
    live: LiveServer, services: Services
) -> None:
    for headers in ({}, {"Authorization": "Basic eDp5"}, {"Authorization": "Bearer cpscim_nope"}):
        response = await live.client.get("/scim/v2/Users", headers=headers)
        assert_error(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    # Not even discovery.
    assert_error(await live.client.get("/scim/v2/ServiceProviderConfig"), 401)


async def test_a_token_reaches_only_its_organization(live: LiveServer, services: Services) -> None:
    _, ours = await _directory(live, services)
    _, theirs = await _directory(live, services)
    email = unique_email("dave")
    mine = (await ours.create(email)).json()
    assert_error(await theirs.request("GET", f"/Users/{mine['id']}"), 404)
    assert_error(await theirs.request("DELETE", f"/Users/{mine['id']}"), 404)
    assert_error(
        await theirs.patch(mine["id"], {"op": "replace", "path": "active", "value": False}), 404
    )
    listing = (await theirs.request("GET", "/Users")).json()
    assert listing["totalResults"] == 0
    filtered = await theirs.request("GET", "/Users", params={"filter": f'id eq "{mine["id"]}"'})
    assert filtered.json()["totalResults"] == 0
    # The same person may be provisioned by both directories, each its own resource.
    twin = await theirs.create(email)
    assert twin.status_code == 201 and twin.json()["id"] != mine["id"]
    assert (await ours.request("GET", f"/Users/{mine['id']}")).json().get("active") is not False


async def test_a_revoked_or_replaced_token_is_refused_at_once(
    live: LiveServer, services: Services
) -> None:
    owner, scim = await _directory(live, services)
    assert (await scim.request("GET", "/Users")).status_code == 200
    listed = (await data(live, owner, TOKENS, {}))["scimTokens"]
    assert len(listed) == 1 and listed[0]["lastUsedAt"] is not None
    assert listed[0]["tokenHint"] == scim.token[-4:] and listed[0]["revokedAt"] is None

    replacement = Scim(live, await create_token(live, owner))
    assert_error(await scim.request("GET", "/Users"), 401)
    assert (await replacement.request("GET", "/Users")).status_code == 200

    revoked = await ok(live, owner, REVOKE_TOKEN, {})
    assert revoked["revokedScimTokenId"]
    assert_error(await replacement.request("GET", "/Users"), 401)
    again = await data(live, owner, REVOKE_TOKEN, {})
    assert again["revokeScimToken"]["userErrors"][0]["code"] == "NOT_FOUND"
    actions = [e.action for e in await _events(services, owner.organization.id, "scim.token_")]
    assert actions == ["scim.token_created", "scim.token_created", "scim.token_revoked"]
    assert all(
        e.actor_user_id == owner.user.id
        for e in await _events(services, owner.organization.id, "scim.token_")
    )
