from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import Role
from db.models._columns import enum_type


class Membership(IdMixin, TimestampMixin, Base):
    """A user's role in an organization (technicians are TechnicianAssignment, not members)."""

    __tablename__ = "membership"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    role: Mapped[Role] = mapped_column(enum_type(Role))
    # Who invited the member (null for a Super Admin who created the organization), and the
    # partner mapping when it was a partner's technician: the customer sees those members and
    # decides about them when the mapping ends (domain.partners.mappings).
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    partner_mapping_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partner_mapping.id", ondelete="SET NULL")
    )

    # Set while the organization's directory has deactivated the person (SCIM ``active: false``):
    # the membership grants nothing (domain.authz), the account and its other memberships are
    # untouched.
    suspended_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("user_id", "organization_id"),
        Index("ix_membership_organization_id_id", "organization_id", "id"),
        Index("ix_membership_partner_mapping_id", "partner_mapping_id"),
        # Exactly one Super Admin per organization, enforced by the database, so two racing
        # transfers cannot both win.
        Index(
            "uq_membership_one_super_admin",
            "organization_id",
            unique=True,
            sqlite_where=text("role = 'SUPER_ADMIN'"),
            postgresql_where=text("role = 'SUPER_ADMIN'"),
        ),
    )
