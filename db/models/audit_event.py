from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin
from kit.clock import utcnow


class AuditEvent(IdMixin, Base):
    """A security-relevant action. Append-only; no foreign keys, so history outlives its subjects."""

    __tablename__ = "audit_event"

    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(64))
    actor_user_id: Mapped[uuid.UUID | None]
    actor_email: Mapped[str | None] = mapped_column(String(320))
    organization_id: Mapped[uuid.UUID | None]
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_event_organization_id_id", "organization_id", "id"),
        Index("ix_audit_event_action_id", "action", "id"),
        Index("ix_audit_event_actor_user_id_id", "actor_user_id", "id"),
    )
