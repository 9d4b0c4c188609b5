from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin
from db.enums import OutboxStatus
from db.models._columns import enum_type
from kit.clock import utcnow


class OutboxMessage(IdMixin, CreatedAtMixin, Base):
    """An email written in the same transaction as the change that causes it.

    Workers lease rows (``leased_until``) so that a crashed worker's rows come back, and send each
    with its stable ``message_id`` so that a retry after an ambiguous failure can be recognized.
    """

    __tablename__ = "outbox_message"

    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    template: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(enum_type(OutboxStatus))
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    leased_until: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(2000))
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_outbox_message_status_available_at", "status", "available_at"),
        # The mail-bombing guard counts a recipient's recent mail on every sign-up and reset.
        Index("ix_outbox_message_recipient_created_at", "recipient", "created_at"),
    )
