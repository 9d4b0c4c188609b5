"""Writing webhook deliveries: inside the transaction of the change, so a rollback sends nothing.

``domain.audit.service`` calls ``enqueue_for_event`` for every audit event it stores, whichever
helper recorded it (``record``, ``record_by``, ``record_account``): an action of the catalogue
(catalog.py) in an organization becomes one delivery row per enabled endpoint of that
organization that wants the event's type. The synchronous paths of db/sync.py (login, two-factor,
the OAuth token endpoint) record no action of the catalogue; tests/webhooks/test_every_event.py
checks that they stay so. The worker (worker.py) delivers them
after the commit; ``ENQUEUED_KEY`` wakes this process's worker at once (as mail/outbox.py does).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import WebhookDeliveryStatus
from db.models import WebhookDelivery
from domain.webhooks import repository
from domain.webhooks.catalog import build_payload, event_type_of
from kit.clock import utcnow

ENQUEUED_KEY = "portal.webhooks.enqueued"


def message_id_of(event_id: uuid.UUID) -> str:
    """The ``webhook-id``: one per event, the same for every endpoint, attempt and replay."""
    return f"msg_{event_id.hex}"


async def enqueue_for_event(session: AsyncSession, event: Mapping[str, Any]) -> int:
    """Queue ``event`` (a row of ``domain.audit.service.entry``) for the endpoints that want it;
    return how many deliveries were written."""
    event_type = event_type_of(event["action"])
    organization_id = event["organization_id"]
    if event_type is None or organization_id is None:
        return 0
    endpoint_ids = await repository.subscribed_endpoint_ids(
        session, organization_id, event_type.name
    )
    if not endpoint_ids:
        return 0
    payload = build_payload(
        event_type,
        event_id=event["id"],
        action=event["action"],
        occurred_at=event["occurred_at"],
        organization_id=organization_id,
        actor_user_id=event["actor_user_id"],
        actor_email=event["actor_email"],
        target_type=event["target_type"],
        target_id=event["target_id"],
        details=event["details"] or {},
    )
    now = utcnow()
    for endpoint_id in endpoint_ids:
        session.add(
            WebhookDelivery(
                endpoint_id=endpoint_id,
                organization_id=organization_id,
                message_id=message_id_of(event["id"]),
                event_type=event_type.name,
                payload=payload,
                status=WebhookDeliveryStatus.PENDING,
                attempts=0,
                available_at=now,
            )
        )
    await session.flush()
    session.info[ENQUEUED_KEY] = True
    return len(endpoint_ids)
