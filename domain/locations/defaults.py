"""Every organization starts with a default Location (with a time zone) and a default Area."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Location
from domain.locations.time_zones import default_time_zone

DEFAULT_LOCATION_NAME = "Main Location"
DEFAULT_AREA_NAME = "Default Area"


async def create_default_location(
    session: AsyncSession, organization_id: uuid.UUID, *, country: str, address: str | None = None
) -> tuple[Location, Area]:
    location = Location(
        organization_id=organization_id,
        name=DEFAULT_LOCATION_NAME,
        time_zone=default_time_zone(country),
        address=address,
        is_default=True,
    )
    session.add(location)
    await session.flush()
    area = Area(
        organization_id=organization_id,
        location_id=location.id,
        name=DEFAULT_AREA_NAME,
        is_default=True,
    )
    session.add(area)
    await session.flush()
    return location, area
