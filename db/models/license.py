from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class License(IdMixin, CreatedAtMixin, Base):
    """A license key for a product, a term and a number of device seats.

    Issued by internal admins, redeemed by an organization. The term starts at the first attachment
    (``activated_at``) and never restarts (``expires_at`` is fixed then).
    """

    __tablename__ = "license"

    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_hint: Mapped[str] = mapped_column(String(16))  # last characters, for display
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("product.id"))
    term_days: Mapped[int]
    seats: Mapped[int] = mapped_column(default=1)
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    redeemed_at: Mapped[datetime | None]
    redeemed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    activated_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_license_organization_id_id", "organization_id", "id"),)
