"""Batch functions of the service accounts area's DataLoaders (registered in
schema/dataloaders/__init__.py).

Each receives a read session and the keys, and returns results aligned with the keys.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ServiceAccount
from domain.service_accounts import repository


async def by_user_id(session: AsyncSession, keys: list[uuid.UUID]) -> list[ServiceAccount | None]:
    """Service accounts by their backing account (an audit event's actor)."""
    found = await repository.service_accounts_by_user_ids(session, keys)
    return [found.get(key) for key in keys]
