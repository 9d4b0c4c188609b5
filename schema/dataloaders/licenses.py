"""Batch functions of the licenses area's DataLoaders (registered in
schema/dataloaders/__init__.py).

Each receives a read session and the keys, and returns results aligned with the keys.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Device
from domain.licenses import queries
from domain.licenses.repository import LicenseRow, SummaryCounts
from kit.pagination import PageRequest
from settings import Settings


def summaries_by_organization(
    settings: Settings,
) -> Callable[[AsyncSession, list[uuid.UUID]], Awaitable[list[SummaryCounts]]]:
    """The Licenses-page counts of many organizations in one aggregate query. Callers load only
    organizations the viewer may read (e.g. the customers of the partner landing)."""

    async def fetch(session: AsyncSession, keys: list[uuid.UUID]) -> list[SummaryCounts]:
        clock = queries.status_clock(settings.license_expiring_soon_days)
        found = await queries.license_summaries(session, keys, clock)
        return [found.get(key, SummaryCounts()) for key in keys]

    return fetch


async def licenses_by_device(
    session: AsyncSession, keys: list[uuid.UUID]
) -> list[list[LicenseRow]]:
    """The licenses each device holds now (one per product at most), for devices the viewer may
    already see; the query keeps to each device's own organization."""
    found = await queries.licenses_of_devices(session, keys)
    return [found.get(key, []) for key in keys]


async def devices_by_license(
    session: AsyncSession, keys: list[tuple[uuid.UUID, PageRequest]]
) -> list[list[Device]]:
    """One page of each license's current devices (``first + 1`` rows), one query per distinct
    page request (normally one)."""
    by_page: dict[PageRequest, list[uuid.UUID]] = defaultdict(list)
    for license_id, page in keys:
        by_page[page].append(license_id)
    found: dict[tuple[uuid.UUID, PageRequest], list[Device]] = {}
    for page, license_ids in by_page.items():
        for license_id, devices in (
            await queries.devices_of_licenses(session, license_ids, page)
        ).items():
            found[(license_id, page)] = devices
    return [found.get(key, []) for key in keys]
