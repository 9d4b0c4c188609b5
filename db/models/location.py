from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, validates

from db.base import Base, IdMixin, TimestampMixin
from kit.text import fold


class Location(IdMixin, TimestampMixin, Base):
    """A site of an organization; every organization starts with a default one."""

    __tablename__ = "location"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    # fold(name): names are unique per organization regardless of case (a unique index, so two
    # concurrent creations of "Berlin" and "BERLIN" end with one).
    name_key: Mapped[str] = mapped_column(String(600))
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA, e.g. Europe/Berlin
    address: Mapped[str | None] = mapped_column(String(500))
    is_default: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_location_organization_id_id", "organization_id", "id"),
        Index("uq_location_organization_id_name_key", "organization_id", "name_key", unique=True),
        Index(
            "uq_location_one_default",
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
