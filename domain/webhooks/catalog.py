"""The event catalogue: which audit actions become which webhook events, and their payload.

An event is an audit event (domain/audit) of an organization, renamed into the public catalogue and
reduced to documented fields: the audit log's details are internal and may change, a webhook payload
may not. ``PAYLOAD_VERSION`` changes only when a field is removed or changes meaning; new fields can
appear at any time. docs/WEBHOOKS.md documents each type; a test checks that it names them all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

PAYLOAD_VERSION = 1


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    description: str
    # The audit actions that raise it.
    actions: tuple[str, ...]
    # The audit details kept in ``data.details``: audit key -> payload key.
    details: Mapping[str, str]


_DEVICE = {
    "serialNumber": "serialNumber",
    "macAddress": "macAddress",
    "kind": "kind",
    "model": "model",
    "name": "name",
    "areaId": "areaId",
    "locationId": "locationId",
}
_MAPPING = {
    "partner_organization_id": "partnerOrganizationId",
    "customer_organization_id": "customerOrganizationId",
}

EVENT_TYPES: tuple[EventType, ...] = (
    EventType("device.registered", "A device was registered.", ("device.registered",), _DEVICE),
    EventType("device.removed", "A device was removed.", ("device.removed",), _DEVICE),
    EventType(
        "device.moved",
        "A device was moved to another area.",
        ("device.moved",),
        {"from": "from", "to": "to"},
    ),
    EventType(
        "member.invited",
        "Someone was invited to join the organization.",
        ("invitation.sent",),
        {"email": "email", "role": "role"},
    ),
    EventType(
        "member.joined",
        "An invitation was accepted: a new member.",
        ("invitation.accepted",),
        {"email": "email", "role": "role", "user_id": "userId"},
    ),
    EventType(
        "member.removed",
        "A member was removed, or left.",
        ("member.removed", "member.left"),
        {"role": "role", "reason": "reason"},
    ),
    EventType(
        "member.role_changed",
        "A member's role changed.",
        ("member.role_changed", "super_admin.transferred"),
        {"from": "from", "to": "to", "from_user_id": "fromUserId", "to_user_id": "toUserId"},
    ),
    EventType(
        "license.attached",
        "A license was attached to a device.",
        ("license.attached",),
        {"device_id": "deviceId"},
    ),
    EventType(
        "license.detached",
        "A license was detached from a device.",
        ("license.detached",),
        {"device_id": "deviceId"},
    ),
    EventType(
        "partner.mapping.changed",
        "The support relationship with a partner changed (invited, accepted, declined, ended).",
        (
            "partner_mapping.created",
            "partner_mapping.invited",
            "partner_mapping.accepted",
            "partner_mapping.declined",
            "partner_mapping.ended",
        ),
        _MAPPING,
    ),
    EventType(
        "organization.suspended",
        "The vendor suspended the organization.",
        ("organization.suspended",),
        {"reason": "reason"},
    ),
    EventType(
        "organization.reactivated",
        "The vendor lifted the organization's suspension.",
        ("organization.reactivated",),
        {"status": "status"},
    ),
    EventType(
        "organization.updated",
        "The organization's details or security settings changed.",
        ("organization.updated", "organization.two_factor_requirement_changed"),
        {},
    ),
)

EVENT_TYPE_NAMES: frozenset[str] = frozenset(t.name for t in EVENT_TYPES)
_BY_ACTION: dict[str, EventType] = {a: t for t in EVENT_TYPES for a in t.actions}


def event_type_of(action: str) -> EventType | None:
    return _BY_ACTION.get(action)


def build_payload(
    event_type: EventType,
    *,
    event_id: uuid.UUID,
    action: str,
    occurred_at: datetime,
    organization_id: uuid.UUID,
    actor_user_id: uuid.UUID | None,
    actor_email: str | None,
    target_type: str | None,
    target_id: str | None,
    details: Mapping[str, Any],
) -> str:
    """The JSON body of one event (Standard Webhooks' ``type``/``timestamp``/``data``), compact
    and with sorted keys: the bytes signed are the bytes stored and sent."""
    body = {
        "type": event_type.name,
        "version": PAYLOAD_VERSION,
        "timestamp": occurred_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "eventId": str(event_id),
            "action": action,
            "organizationId": str(organization_id),
            "actor": (
                {"userId": str(actor_user_id), "email": actor_email}
                if actor_user_id is not None
                else None
            ),
            "target": {"type": target_type, "id": target_id} if target_type else None,
            "details": {
                public: details[internal]
                for internal, public in event_type.details.items()
                if internal in details
            },
        },
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True, default=str)
