from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, validates

from db.base import Base, IdMixin, TimestampMixin
from kit.text import fold


class Area(IdMixin, TimestampMixin, Base):
    """A part of a location (a floor, a car park) where devices are placed.

    The organization's default area (where a device goes when none is named) lives in its default
    location; neither can be deleted, and the default area cannot leave the default location.
    """

    __tablename__ = "area"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # fold(name): unique within the location regardless of case.
    name_key: Mapped[str] = mapped_column(String(600))
    is_default: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_area_location_id_id", "location_id", "id"),
        Index("ix_area_organization_id_id", "organization_id", "id"),
        Index("uq_area_location_id_name_key", "location_id", "name_key", unique=True),
        Index(
            "uq_area_one_default",
            "organization_id",
            unique=True,
            sqlite_where=text("is_default = 1"),
            postgresql_where=text("is_default"),
        ),
    )

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = fold(value)
        return value
