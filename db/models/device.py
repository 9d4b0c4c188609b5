from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.device_search import search_text
from db.enums import DeviceKind, DeviceStatus
from db.models._columns import enum_type


class Device(IdMixin, TimestampMixin, Base):
    """A camera or recorder. A serial number (and a MAC address) belongs to one organization in
    the whole platform: the unique indexes are what make concurrent registrations end one way."""

    __tablename__ = "device"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    # Denormalized from the area (kept in step when an area moves) so that "devices in a location"
    # is one indexed range, not a join.
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("location.id"))
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("area.id"))
    kind: Mapped[DeviceKind] = mapped_column(enum_type(DeviceKind))
    serial_number: Mapped[str] = mapped_column(String(64), unique=True)  # normalized upper case
    mac_address: Mapped[str] = mapped_column(
        String(17), unique=True
    )  # normalized aa:bb:cc:dd:ee:ff
    model: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    # Folded "name serial mac bare-mac model" (db.device_search.search_text): one column
    # that a substring search reads the same way on SQLite and PostgreSQL. Kept up to date by the
    # ORM on every insert and update (below); bulk Core inserts must compute it themselves.
    search_text: Mapped[str] = mapped_column(String(1000))
    status: Mapped[DeviceStatus] = mapped_column(enum_type(DeviceStatus))
    firmware_version: Mapped[str | None] = mapped_column(String(64))
    last_seen_at: Mapped[datetime | None]
    registered_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        Index("ix_device_organization_id_id", "organization_id", "id"),
        Index("ix_device_organization_id_status_id", "organization_id", "status", "id"),
        Index("ix_device_organization_id_kind_id", "organization_id", "kind", "id"),
        Index("ix_device_location_id_id", "location_id", "id"),
        Index("ix_device_area_id_id", "area_id", "id"),
    )


@event.listens_for(Device, "before_insert")
@event.listens_for(Device, "before_update")
def _keep_search_text(_mapper: Any, _connection: Any, device: Device) -> None:
    device.search_text = search_text(
        name=device.name,
        serial_number=device.serial_number,
        mac_address=device.mac_address,
        model=device.model,
    )
