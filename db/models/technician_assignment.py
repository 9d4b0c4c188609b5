from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class TechnicianAssignment(IdMixin, CreatedAtMixin, Base):
    """A partner staff member assigned to a mapped customer: they act there as TECHNICIAN."""

    __tablename__ = "technician_assignment"

    mapping_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partner_mapping.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (UniqueConstraint("mapping_id", "user_id"),)
