"""Batch functions of the partners area's DataLoaders (registered in resolvers/dataloaders.py).

Each receives a read session and the keys, and returns results aligned with the keys. Callers load
only what the viewer may see (e.g. the customers on a partner's landing page): the batches restrict
their aggregates to the given ids, so a page costs the same whether the partner has 50 customers
or 100,000.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import TechnicianAssignment
from domain.partners import mapping_repository as repo
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
    by_page: dict[PageRequest, list[uuid.UUID]] = defaultdict(list)
    for mapping_id, page in keys:
        by_page[page].append(mapping_id)
    found: dict[tuple[uuid.UUID, PageRequest], list[TechnicianAssignment]] = {}
    for page, mapping_ids in by_page.items():
        rows = await repo.technician_pages(
            session, set(mapping_ids), after=page.after, limit=page.first + 1
        )
        for mapping_id, assignments in rows.items():
            found[(mapping_id, page)] = assignments
    return [found.get(key, []) for key in keys]
