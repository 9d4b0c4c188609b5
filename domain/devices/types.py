"""Values the devices' service and repository exchange."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.enums import DeviceKind, DeviceStatus


@dataclass(frozen=True, slots=True)
class DeviceFilter:
    """All given criteria must hold. ``search_terms`` come from ``normalize.search_terms``: a device
    matches when its search text contains any of them."""

    location_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None
    kind: DeviceKind | None = None
    status: DeviceStatus | None = None
    search_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeviceCounts:
    by_status: Mapping[DeviceStatus, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def of(self, status: DeviceStatus) -> int:
        return self.by_status.get(status, 0)
