from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin
from kit.clock import utcnow


class LicenseAttachment(IdMixin, Base):
    """A license seat used by a device; detaching keeps the row as history."""

    __tablename__ = "license_attachment"

    license_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("license.id", ondelete="CASCADE"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id", ondelete="CASCADE"))
    # The license's product, copied here so that the database itself enforces "a device holds at
    # most one current license per product" (uq_license_attachment_device_product_current) even
    # when two attachments of different licenses race for the same device.
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("product.id"))
    attached_at: Mapped[datetime] = mapped_column(default=utcnow)
    attached_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    detached_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_license_attachment_license_id", "license_id"),
        Index("ix_license_attachment_device_id", "device_id"),
        Index(
            "uq_license_attachment_current",
            "license_id",
            "device_id",
            unique=True,
            sqlite_where=text("detached_at IS NULL"),
            postgresql_where=text("detached_at IS NULL"),
        ),
        Index(
            "uq_license_attachment_device_product_current",
            "device_id",
            "product_id",
            unique=True,
            sqlite_where=text("detached_at IS NULL"),
            postgresql_where=text("detached_at IS NULL"),
        ),
    )
