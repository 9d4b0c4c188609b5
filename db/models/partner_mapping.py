from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import PartnerMappingStatus
from db.models._columns import enum_type


class PartnerMapping(IdMixin, TimestampMixin, Base):
    """A partner organization supporting a customer organization (one partner per customer)."""

    __tablename__ = "partner_mapping"

    partner_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    customer_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    status: Mapped[PartnerMappingStatus] = mapped_column(enum_type(PartnerMappingStatus))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    accepted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        Index("ix_partner_mapping_partner_status_id", "partner_organization_id", "status", "id"),
        Index(
            "uq_partner_mapping_one_per_customer",
            "customer_organization_id",
            unique=True,
            sqlite_where=text("status <> 'ENDED'"),
            postgresql_where=text("status <> 'ENDED'"),
        ),
    )
