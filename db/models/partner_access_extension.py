from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin
from db.enums import PartnerAccessExtensionStatus
from db.models._columns import enum_type


class PartnerAccessExtension(IdMixin, CreatedAtMixin, Base):
    """A partner's request to extend its access to a customer, and the customer's answer."""

    __tablename__ = "partner_access_extension"

    mapping_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partner_mapping.id", ondelete="CASCADE")
    )
    requested_until: Mapped[datetime]
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[PartnerAccessExtensionStatus] = mapped_column(
        enum_type(PartnerAccessExtensionStatus)
    )
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        # One open request per mapping: two racing requests end one way.
        Index(
            "uq_partner_access_extension_pending",
            "mapping_id",
            unique=True,
            sqlite_where=text("status = 'PENDING'"),
            postgresql_where=text("status = 'PENDING'"),
        ),
    )
