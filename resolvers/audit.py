"""The audit log over GraphQL."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.audit.queries import EventQuery, list_events
from kit.pagination import InvalidCursor
from resolvers.context import context_of
from schema.errors import ErrorCode, PortalGraphQLError
from schema.types.audit import AuditEventConnection


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
    query = EventQuery(
        organization_id=organization_id,
        action=action,
        actor_id=actor_id,
        since=since,
        until=until,
    )
    try:
        page = await list_events(ctx.services, principal, query, first=first, after=after)
    except InvalidCursor as exc:
        raise PortalGraphQLError(
            "`after` is not a cursor from this list.", ErrorCode.BAD_USER_INPUT
        ) from exc
    except ValueError as exc:
        raise PortalGraphQLError("`first` must not be negative.", ErrorCode.BAD_USER_INPUT) from exc
    return AuditEventConnection.from_page(page)


@strawberry.type
class AuditQuery:
    audit_events: AuditEventConnection = strawberry.field(
        resolver=audit_events,
        description=(
            "The audit log, newest first. An organization's Super Admin and Admins read their "
            "own organization's events (the working one unless `organizationId` names another); "
            "internal admins read any organization's, or every event when they name none. "
            "`since` is inclusive, `until` exclusive."
        ),
    )
