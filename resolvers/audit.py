"""The audit log over GraphQL."""

from __future__ import annotations

import strawberry

from schema.types.audit import AuditEventConnection, audit_events


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
