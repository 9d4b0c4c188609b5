"""Per-request DataLoaders, named ``<thing>_by_<key>``.

Each batch opens its own short read session (an AsyncSession cannot serve concurrent resolvers) and
returns results aligned with the keys, ``None`` where a key has no row.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from db.models import Organization, User
from domain.licenses.repository import LicenseRow, SummaryCounts
from resolvers import license_loaders
from runtime import Services

K = TypeVar("K")
V = TypeVar("V")


def _by_id(rows: Sequence[Any], keys: Sequence[uuid.UUID]) -> list[Any]:
    found = {row.id: row for row in rows}
    return [found.get(key) for key in keys]


class Loaders:
    def __init__(self, services: Services) -> None:
        self._services = services
        self.organization_by_id: DataLoader[uuid.UUID, Organization | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, Organization, keys)
        )
        self.user_by_id: DataLoader[uuid.UUID, User | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, User, keys)
        )
        # licenses (resolvers/license_loaders.py)
        self.license_summary_by_organization_id: DataLoader[uuid.UUID, SummaryCounts] = (
            self._loader(license_loaders.summaries_by_organization(services.settings))
        )
        self.licenses_by_device_id: DataLoader[uuid.UUID, list[LicenseRow]] = self._loader(
            license_loaders.licenses_by_device
        )

    def _loader(
        self, fetch: Callable[[AsyncSession, list[K]], Awaitable[list[V]]]
    ) -> DataLoader[K, V]:
        async def batch(keys: list[K]) -> list[V]:
            async with self._services.db.read_session() as session:
                return await fetch(session, keys)

        return DataLoader(load_fn=batch)

    @staticmethod
    async def _rows_by_id(session: AsyncSession, model: Any, keys: list[uuid.UUID]) -> list[Any]:
        rows = (await session.scalars(select(model).where(model.id.in_(keys)))).all()
        return _by_id(rows, keys)
