"""The audit log over GraphQL."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.audit.queries import EventQuery, count_events, event_filter, list_events
from resolvers._paging import page_args
from resolvers.context import context_of
from schema.relay import make_connection
from schema.types.audit import AuditEvent, AuditEventConnection


async def audit_events(
    info: strawberry.Info,
    organization_id: strawberry.ID | None = None,
    action: str | None = None,
    actor_id: strawberry.ID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    first: int | None = None,
    after: str | None = None,
) -> AuditEventConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    query = EventQuery(
        organization_id=organization_id, action=action, actor_id=actor_id, since=since, until=until
    )
    db = ctx.services.db
    async with db.read_session() as session:
        where = await event_filter(session, principal, query)
        rows = await list_events(session, where, page)

    async def count() -> int:
        async with db.read_session() as session:
            return await count_events(session, where)

    return make_connection(AuditEventConnection, rows, AuditEvent.from_row, count)


@strawberry.type
class AuditQuery:
    audit_events: AuditEventConnection = strawberry.field(
        resolver=audit_events,
        description=(
            "The audit log, newest first. An organization's Super Admin and Admins read their "
            "own organization's events (the working one unless `organizationId` names another); "
            "internal admins read any organization's, or every event when they name none. "
            "`action` and `actorId` match exactly; `since` is inclusive, `until` exclusive."
        ),
    )
