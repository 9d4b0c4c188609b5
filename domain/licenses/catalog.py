"""The vendor's apps (the app tiles) and whether an organization has unlocked each.

The catalog is data seeded by a migration (db/migrations/versions/*_licenses_catalog.py). A tile
is unlocked for an organization that holds a license for its product that has not expired — a
redeemed license whose term has not started yet counts: the customer owns it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.licenses import repository as repo
from domain.licenses.repository import CatalogEntry
from kit.clock import utcnow


async def app_tiles(
    session: AsyncSession, organization_id: uuid.UUID | None, *, now: datetime | None = None
) -> list[CatalogEntry]:
    """Every app in display order with ``unlocked`` for the organization, in one query.

    The caller has already decided the principal may read the organization; with no
    organization every tile is locked.
    """
    return await repo.list_catalog(session, organization_id, now or utcnow())
