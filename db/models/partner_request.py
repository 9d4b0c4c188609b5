from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import PartnerRequestStatus
from db.models._columns import enum_type


class PartnerRequest(IdMixin, TimestampMixin, Base):
    """A "Join as a STEP Partner" submission, waiting for an internal admin's review."""

    __tablename__ = "partner_request"

    step_code_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("step_partner_code.id"), index=True)
    step_partner_code: Mapped[str] = mapped_column(String(64))
    company_name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    contact_email: Mapped[str] = mapped_column(String(320))
    status: Mapped[PartnerRequestStatus] = mapped_column(enum_type(PartnerRequestStatus))
    reason: Mapped[str | None] = mapped_column(String(2000))
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organization.id"))
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_partner_request_status_id", "status", "id"),)
