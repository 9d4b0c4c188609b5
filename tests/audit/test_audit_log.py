"""The audit log query: who reads what, filters, newest-first keyset pagination."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta
from typing import Any

from db.models import AuditEvent
from domain.enums import Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import Actor, create_actor
from tests.support.roles import create_technician
from tests.support.server import LiveServer

EVENTS = """
query($org: ID, $action: String, $actor: ID, $since: DateTime, $until: DateTime,
      $first: Int, $after: String) {
  auditEvents(organizationId: $org, action: $action, actorId: $actor, since: $since,
              until: $until, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node {
      id occurredAt action actorId actorEmail organizationId targetType targetId
      clientAddress userAgent requestId details
    } }
  }
}
"""


def _id_at(moment: datetime) -> uuid.UUID:
    """A UUIDv7 of ``moment`` (as the events of that moment would have had)."""
    milliseconds = int(moment.timestamp() * 1000)
    random_bits = int.from_bytes(os.urandom(8), "big")
    value = (milliseconds << 80) | (0x7 << 76) | (random_bits & ((1 << 62) - 1)) | (0b10 << 62)
    return uuid.UUID(int=value)


async def seed(
    services: Services, events: list[tuple[str, uuid.UUID | None, uuid.UUID | None, datetime]]
) -> list[uuid.UUID]:
    """(action, organization, actor, when) rows, written as the recorder would have."""
    ids = []
    async with services.db.unit_of_work() as session:
        for action, organization_id, actor_id, when in events:
            event = AuditEvent(
                id=_id_at(when),
                occurred_at=when,
                action=action,
                organization_id=organization_id,
                actor_user_id=actor_id,
                actor_email="someone@example.test" if actor_id else None,
                client_address="203.0.113.9",
                details={"n": len(ids)},
            )
            session.add(event)
            ids.append(event.id)
    return ids


async def events(live: LiveServer, reader: Actor, **variables: Any) -> dict[str, Any]:
    body = await live.graphql(EVENTS, variables, headers=reader.headers)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["auditEvents"]
    return result


def actions(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["action"] for edge in connection["edges"]]


def code(body: dict[str, Any]) -> str:
    assert body["data"] is None, body
    value: str = body["errors"][0]["extensions"]["code"]
    return value


async def test_who_reads_which_events(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    admin = await create_actor(services, role=Role.ADMIN, organization=owner.organization)
    user = await create_actor(services, role=Role.USER, organization=owner.organization)
    technician = await create_technician(services, owner.organization)
    other = await create_actor(services, role=Role.SUPER_ADMIN)
    internal = await create_actor(services, role=Role.INTERNAL_ADMIN)
    now = utcnow()
    await seed(
        services,
        [
            ("device.registered", owner.organization.id, admin.user.id, now - timedelta(hours=3)),
            ("member.role_changed", owner.organization.id, owner.user.id, now - timedelta(hours=2)),
            ("device.removed", other.organization.id, other.user.id, now - timedelta(hours=1)),
            ("login.failed", None, None, now - timedelta(minutes=30)),
        ],
    )

    for reader in (owner, admin):
        mine = await events(live, reader)
        assert actions(mine) == ["member.role_changed", "device.registered"]
        assert mine["totalCount"] == 2
        assert {e["node"]["organizationId"] for e in mine["edges"]} == {str(owner.organization.id)}
    for refused in (user, technician):
        assert code(await live.graphql(EVENTS, headers=refused.headers)) == "FORBIDDEN"
    # Another tenant's organization looks exactly like one that does not exist.
    foreign = await live.graphql(EVENTS, {"org": str(other.organization.id)}, headers=owner.headers)
    missing = await live.graphql(EVENTS, {"org": str(uuid.uuid4())}, headers=owner.headers)
    garbage = await live.graphql(EVENTS, {"org": "nope"}, headers=owner.headers)
    assert code(foreign) == code(missing) == code(garbage) == "NOT_FOUND"
    assert foreign["errors"][0]["message"] == missing["errors"][0]["message"]
    assert code(await live.graphql(EVENTS)) == "UNAUTHENTICATED"

    # Internal admins read everything — events of no organization too — or one organization.
    everything = await events(live, internal)
    assert actions(everything)[:4] == [
        "login.failed",
        "device.removed",
        "member.role_changed",
        "device.registered",
    ]
    theirs = await events(live, internal, org=str(other.organization.id))
    assert actions(theirs) == ["device.removed"]
    node = theirs["edges"][0]["node"]
    assert node["actorId"] == str(other.user.id)
    assert node["clientAddress"] == "203.0.113.9"
    assert node["details"] == {"n": 2}


async def test_filters_and_pages(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    helper = await create_actor(services, role=Role.ADMIN, organization=owner.organization)
    org = owner.organization.id
    start = utcnow() - timedelta(days=10)
    seeded = [
        (
            "device.registered" if n % 2 else "invitation.sent",
            org,
            owner.user.id if n % 3 else helper.user.id,
            start + timedelta(days=n),
        )
        for n in range(9)
    ]
    await seed(services, seeded)

    # Newest first, page by page, no repeats, no gaps.
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = await events(live, owner, first=4, after=after)
        seen += [edge["node"]["occurredAt"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3 and len(seen) == 9
    assert seen == sorted(seen, reverse=True)

    registered = await events(live, owner, action="device.registered")
    assert registered["totalCount"] == 4
    assert set(actions(registered)) == {"device.registered"}
    by_helper = await events(live, owner, actor=str(helper.user.id))
    assert by_helper["totalCount"] == 3  # n = 0, 3, 6
    both = await events(live, owner, actor=str(helper.user.id), action="invitation.sent")
    assert both["totalCount"] == 2  # n = 0, 6
    # since is inclusive, until exclusive.
    window = await events(
        live,
        owner,
        since=(start + timedelta(days=2)).isoformat(),
        until=(start + timedelta(days=5)).isoformat(),
    )
    assert window["totalCount"] == 3  # n = 2, 3, 4
    naive = await events(
        live, owner, since=(start + timedelta(days=7)).replace(tzinfo=None).isoformat()
    )
    assert naive["totalCount"] == 2  # read as UTC: n = 7, 8
    # Values that cannot match are no error: nothing matches.
    for variables in ({"actor": "not-a-uuid"}, {"actor": str(uuid.uuid4())}, {"action": "x" * 65}):
        assert (await events(live, owner, **variables))["edges"] == []
    bad = await live.graphql(EVENTS, {"after": "bogus"}, headers=owner.headers)
    assert code(bad) == "BAD_USER_INPUT"
    bad = await live.graphql(EVENTS, {"first": -1}, headers=owner.headers)
    assert code(bad) == "BAD_USER_INPUT"
