from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import InvitationStatus, Role
from db.models._columns import enum_type


class Invitation(IdMixin, TimestampMixin, Base):
    """An invitation of an email into an organization with a role (expires after 7 days)."""

    __tablename__ = "invitation"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[InvitationStatus] = mapped_column(enum_type(InvitationStatus))
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Set when a partner's technician sent it: ending the mapping (or the technician's
    # assignment) cancels it while it is pending (domain.partners.mappings).
    partner_mapping_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partner_mapping.id", ondelete="SET NULL")
    )

    __table_args__ = (
        Index("ix_invitation_organization_id_id", "organization_id", "id"),
        # Activation accepts an account's invitations (domain.members.acceptance).
        Index("ix_invitation_user_id", "user_id"),
        Index("ix_invitation_partner_mapping_id", "partner_mapping_id"),
        Index(
            "uq_invitation_pending_email",
            "organization_id",
            "email",
            unique=True,
            sqlite_where=text("status = 'PENDING'"),
            postgresql_where=text("status = 'PENDING'"),
        ),
    )
