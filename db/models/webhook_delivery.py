from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin
from db.enums import WebhookDeliveryStatus
from db.models._columns import enum_type
from kit.clock import utcnow


class WebhookDelivery(IdMixin, CreatedAtMixin, Base):
    """One event for one endpoint: written in the transaction of the change (the outbox), then
    delivered by domain/webhooks/worker.py with a lease, like ``OutboxMessage``.

    ``message_id`` is the Standard Webhooks ``webhook-id``: the same for every attempt and for a
    replay, so that a receiver can recognize what it has already processed.
    """

    __tablename__ = "webhook_delivery"

    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE")
    )
    organization_id: Mapped[uuid.UUID]
    message_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(64))
    # The JSON body, exactly as signed.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[WebhookDeliveryStatus] = mapped_column(enum_type(WebhookDeliveryStatus))
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    leased_until: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    # The last attempt: the receiver's status code (None: no answer), how long, what went wrong.
    response_status: Mapped[int | None]
    duration_ms: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    # A replay is a new delivery of the same message: the one it repeats.
    replay_of: Mapped[uuid.UUID | None]

    __table_args__ = (
        Index("ix_webhook_delivery_status_available_at", "status", "available_at"),
        Index("ix_webhook_delivery_endpoint_id_id", "endpoint_id", "id"),
    )
