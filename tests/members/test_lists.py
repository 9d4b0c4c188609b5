"""The Users page: members and invitations, filters, pagination, who may read them, and SQL
statement counts that do not grow with the page size."""

from __future__ import annotations

import uuid
from datetime import timedelta

from db.models import Invitation, Organization
from domain.enums import InvitationStatus, Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import Actor, add_member, create_user, unique_email
from tests.members.support import INVITATIONS, MEMBERS, create_cast
from tests.support.gql import call, error_code, nodes
from tests.support.server import LiveServer
from tests.support.sql import count_statements


async def add_users(services: Services, organization: Organization, names: list[str]) -> None:
    async with services.db.unit_of_work() as session:
        for i, name in enumerate(names):
            first, _, last = name.partition(" ")
            user = await create_user(
                session,
                email=unique_email(first.lower() or "x"),
                first_name=first,
                last_name=last,
            )
            await add_member(session, user, organization, Role.ADMIN if i % 2 else Role.USER)


async def add_invitations(
    services: Services, organization: Organization, inviter: Actor, count: int
) -> list[Invitation]:
    now = utcnow()
    made = []
    async with services.db.unit_of_work() as session:
        for i in range(count):
            status = list(InvitationStatus)[i % 4]
            invitation = Invitation(
                organization_id=organization.id,
                email=unique_email("invitee"),
                role=Role.USER,
                invited_by_id=inviter.user.id,
                status=InvitationStatus.PENDING if status is InvitationStatus.EXPIRED else status,
                # every fourth one (EXPIRED) is a pending invitation past its time
                expires_at=now + timedelta(days=-1 if status is InvitationStatus.EXPIRED else 7),
                accepted_at=now if status is InvitationStatus.ACCEPTED else None,
                cancelled_at=now if status is InvitationStatus.CANCELLED else None,
            )
            session.add(invitation)
            made.append(invitation)
    return made


async def test_members_pages_filters_and_search(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    org = cast.organization
    await add_users(services, org, ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger 100%"])

    everyone = nodes(await call(live, cast.user, MEMBERS, {"first": 100}), "members")
    # The Super Admin, the admin and the user joined first; the technician is no member.
    assert [m["user"]["id"] for m in everyone[:3]] == [
        str(a.user.id) for a in (cast.super_admin, cast.admin, cast.user)
    ]
    assert len(everyone) == 7
    assert str(cast.technician.user.id) not in {m["user"]["id"] for m in everyone}
    assert {m["status"] for m in everyone} == {"ACTIVE"}

    # Pages of two, in order, never repeating.
    seen: list[str] = []
    after = None
    while True:
        body = await call(live, cast.user, MEMBERS, {"first": 2, "after": after})
        connection = body["data"]["members"]
        seen += [e["node"]["id"] for e in connection["edges"]]
        assert connection["totalCount"] == 7
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [m["id"] for m in everyone]

    async def search(text: str, role: str | None = None) -> list[str]:
        body = await call(live, cast.admin, MEMBERS, {"search": text, "role": role})
        return sorted(
            f"{m['user']['firstName']} {m['user']['lastName']}" for m in nodes(body, "members")
        )

    assert await search("lovelace") == ["Ada Lovelace"]
    assert await search("GRACE hop") == ["Grace Hopper"]
    # (Letters that are no hex digit: the emails hold random hex.)
    assert await search("o") == ["Ada Lovelace", "Grace Hopper"]
    assert await search("100%") == ["Edsger 100%"]  # a wildcard is just a character
    assert await search("%") == ["Edsger 100%"]
    assert await search("_") == []
    assert await search("o", "ADMIN") == ["Grace Hopper"]
    assert len(await search("", "SUPER_ADMIN")) == 1

    for variables in ({"search": "x" * 201}, {"first": -1}, {"after": "not-a-cursor"}):
        assert error_code(await call(live, cast.user, MEMBERS, variables)) == "BAD_USER_INPUT"


async def test_who_reads_the_lists(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    org = str(cast.organization.id)
    for actor in (cast.super_admin, cast.admin, cast.user, cast.technician):
        assert len(nodes(await call(live, actor, MEMBERS), "members")) == 3
        assert nodes(await call(live, actor, INVITATIONS), "invitations") == []
    # Internal admins read any organization by naming it.
    assert len(nodes(await call(live, cast.internal_admin, MEMBERS, {"org": org}), "members")) == 3
    # A stranger: exactly as for an organization that does not exist.
    for document in (MEMBERS, INVITATIONS):
        foreign = await call(live, cast.stranger, document, {"org": org})
        assert error_code(foreign) == "NOT_FOUND"
        for fake in (str(uuid.uuid4()), "not-an-id"):
            assert await call(live, cast.stranger, document, {"org": fake}) == foreign
    # No token at all.
    assert error_code(await live.graphql(MEMBERS)) == "UNAUTHENTICATED"


async def test_invitations_and_their_statuses(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    made = await add_invitations(services, cast.organization, cast.admin, 8)
    expected = {str(i.id): list(InvitationStatus)[n % 4].value for n, i in enumerate(made)}

    async def listed(status: str | None) -> dict[str, str]:
        body = await call(live, cast.user, INVITATIONS, {"status": status, "first": 50})
        return {n["id"]: n["status"] for n in nodes(body, "invitations")}

    # Without a status: the outstanding ones, live and expired.
    assert await listed(None) == {k: v for k, v in expected.items() if v in {"PENDING", "EXPIRED"}}
    for status in InvitationStatus:
        assert await listed(status.value) == {
            k: v for k, v in expected.items() if v == status.value
        }
    body = await call(live, cast.user, INVITATIONS, {"status": "PENDING"})
    node = nodes(body, "invitations")[0]
    assert node["invitedBy"] == {"id": str(cast.admin.user.id), "email": cast.admin.user.email}
    assert node["organization"]["id"] == str(cast.organization.id)
    assert body["data"]["invitations"]["totalCount"] == 2


async def statements(live: LiveServer, actor: Actor, document: str, first: int) -> int:
    """SQL statements of one GraphQL request (tests.support.sql leaves out the outbox worker)."""
    with count_statements(live.services.db.engine) as executed:
        body = await call(live, actor, document, {"first": first})
    assert "errors" not in body, body
    (connection,) = body["data"].values()
    assert len(connection["edges"]) == first
    return len(executed)


async def test_statement_counts_do_not_grow_with_the_page(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    await add_users(services, cast.organization, [f"Person {i}" for i in range(60)])
    inviters = [cast.super_admin, cast.admin]
    for inviter in inviters:
        await add_invitations(services, cast.organization, inviter, 120)
    small = await statements(live, cast.admin, MEMBERS, 5)
    assert small == await statements(live, cast.admin, MEMBERS, 50)
    small = await statements(live, cast.admin, INVITATIONS, 5)
    assert small == await statements(live, cast.admin, INVITATIONS, 50)
