from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import PartnerAccessNotice, PartnerAccessScope, PartnerMappingStatus
from db.models._columns import enum_type
from kit.clock import utcnow

# The default grant: one year (domain.partners.mappings.DEFAULT_GRANT, which services pass
# explicitly; this default serves rows made without a service, e.g. in tests and scripts).
DEFAULT_GRANT = timedelta(days=365)


def _default_end() -> datetime:
    return utcnow() + DEFAULT_GRANT


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
    # The customer's grant (domain.partners.access): which of a technician's powers apply, and
    # until when. Checked when used (domain.authz.repository), so expiry needs no job. Nullable
    # only because SQLite cannot add a NOT NULL column without a constant default; every mapping
    # has one (the migration gave existing ones the default) and NULL would mean no access.
    access_scope: Mapped[PartnerAccessScope] = mapped_column(
        enum_type(PartnerAccessScope),
        server_default=PartnerAccessScope.DEVICES_LICENSES_USERS.value,
    )
    access_expires_at: Mapped[datetime | None] = mapped_column(default=_default_end)
    access_notice: Mapped[PartnerAccessNotice] = mapped_column(
        enum_type(PartnerAccessNotice), server_default=PartnerAccessNotice.NONE.value
    )

    __table_args__ = (
        Index("ix_partner_mapping_partner_status_id", "partner_organization_id", "status", "id"),
        # The expiry notices' pass reads the grants ending soonest.
        Index("ix_partner_mapping_access_expires_at", "access_expires_at"),
        Index(
            "uq_partner_mapping_one_per_customer",
            "customer_organization_id",
            unique=True,
            sqlite_where=text("status <> 'ENDED'"),
            postgresql_where=text("status <> 'ENDED'"),
        ),
    )
