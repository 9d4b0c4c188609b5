"""Batch functions of the partners area's DataLoaders (registered in
schema/dataloaders/__init__.py).

Each receives a read session and the keys, and returns results aligned with the keys. Callers load
only what the viewer may see (e.g. the customers on a partner's landing page): the batches restrict
their aggregates to the given ids, so a page costs the same whether the partner has 50 customers
or 100,000.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PartnerAccessExtension, TechnicianAssignment
from domain.partners import repository as repo
from kit.pagination import PageRequest


async def location_counts_by_organization(
    session: AsyncSession, keys: list[uuid.UUID]
) -> list[int]:
    found = await repo.location_counts(session, keys)
    return [found.get(key, 0) for key in keys]


async def technicians_by_mapping(
    session: AsyncSession, keys: list[tuple[uuid.UUID, PageRequest]]
) -> list[list[TechnicianAssignment]]:
    """One page (``first + 1`` rows) of each mapping's technicians: one statement per distinct
    page request — one in all for a landing page, where every customer asks for the same."""
    return await repo.technicians_by_mapping(session, keys)


async def technician_counts_by_mapping(session: AsyncSession, keys: list[uuid.UUID]) -> list[int]:
    found = await repo.technician_counts(session, keys)
    return [found.get(key, 0) for key in keys]


async def pending_extensions_by_mapping(
    session: AsyncSession, keys: list[uuid.UUID]
) -> list[PartnerAccessExtension | None]:
    found = await repo.pending_extensions(session, keys)
    return [found.get(key) for key in keys]
