"""The audit log over GraphQL."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from domain.audit.service import EventQuery, count_events, event_filter, list_events
from resolvers._paging import page_args
from resolvers.context import context_of
from schema.arguments import AFTER, FIRST
from schema.relay import make_connection
from schema.types.audit import AuditEvent, AuditEventConnection


async def audit_events(
    info: strawberry.Info,
    organization_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="Whose events: defaults to the working organization (internal admins: every organization's)."
        ),
    ] = None,
    action: Annotated[
        str | None,
        strawberry.argument(description="Only this action, exactly, e.g. `member.removed`."),
    ] = None,
    actor_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only events of this actor (a user id)."),
    ] = None,
    since: Annotated[
        datetime | None,
        strawberry.argument(description="Only events at or after this instant (inclusive)."),
    ] = None,
    until: Annotated[
        datetime | None,
        strawberry.argument(description="Only events before this instant (exclusive)."),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
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
