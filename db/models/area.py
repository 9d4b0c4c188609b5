from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin


class Area(IdMixin, TimestampMixin, Base):
    """A part of a location (a floor, a car park) where devices are placed."""

    __tablename__ = "area"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_area_location_id_id", "location_id", "id"),
        Index("ix_area_organization_id_id", "organization_id", "id"),
    )
