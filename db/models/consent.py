from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin
from db.enums import ConsentDocument
from db.models._columns import enum_type
from kit.clock import utcnow


class ConsentRecord(IdMixin, Base):
    """Proof that someone accepted a legal document: which, which version, when, from where."""

    __tablename__ = "consent_record"

    document: Mapped[ConsentDocument] = mapped_column(enum_type(ConsentDocument))
    version: Mapped[str] = mapped_column(String(40))
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    partner_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partner_request.id", ondelete="SET NULL"), index=True
    )
