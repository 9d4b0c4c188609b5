from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin


class WebhookEndpoint(IdMixin, TimestampMixin, Base):
    """Where an organization wants its events delivered (domain/webhooks/).

    The signing secret must be usable (it signs every delivery), so it is sealed, not hashed
    (domain/webhooks/secrets.py). After a rotation the previous secret keeps signing, next to the
    new one, until ``previous_secret_expires_at``.
    """

    __tablename__ = "webhook_endpoint"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(200))
    # The event types wanted (domain/webhooks/catalog.py), as a sorted list.
    event_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Why it is disabled when the portal disabled it (failing for days); None when a person did.
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    sealed_secret: Mapped[str] = mapped_column(Text)
    sealed_previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None]
    # The first failed attempt since the last success: the endpoint is disabled when it is old.
    failing_since: Mapped[datetime | None]

    __table_args__ = (Index("ix_webhook_endpoint_organization_id_id", "organization_id", "id"),)
