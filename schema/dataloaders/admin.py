"""Batch functions of the internal admin console's DataLoaders (registered in
schema/dataloaders/__init__.py).

Each receives a read session and the keys, and returns results aligned with the keys. Only the
console's types use them (``AdminOrganization``, ``StepPartnerCode``), and those are reached only
by internal admins: the resolvers that produce them check ``ORGANIZATION_READ_ANY`` /
``STEP_CODE_MANAGE`` first.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, Organization, PartnerMapping, User
from domain.admin import repository as repo
from domain.partners import repository as partners_repo
from kit.pagination import PageRequest


async def member_counts_by_organization(session: AsyncSession, keys: list[uuid.UUID]) -> list[int]:
    found = await repo.member_counts(session, keys)
    return [found.get(key, 0) for key in keys]


async def super_admins_by_organization(
    session: AsyncSession, keys: list[uuid.UUID]
) -> list[User | None]:
    found = await repo.super_admins(session, keys)
    return [found.get(key) for key in keys]


async def customer_counts_by_partner(session: AsyncSession, keys: list[uuid.UUID]) -> list[int]:
    found = await repo.customer_counts(session, keys)
    return [found.get(key, 0) for key in keys]


async def mapping_counts_by_organization(session: AsyncSession, keys: list[uuid.UUID]) -> list[int]:
    found = await repo.mapping_counts(session, keys)
    return [found.get(key, 0) for key in keys]


async def memberships_by_organization(
    session: AsyncSession, keys: list[tuple[uuid.UUID, PageRequest]]
) -> list[list[Membership]]:
    return await repo.memberships_by_organization(session, keys)


async def mappings_by_customer(
    session: AsyncSession, keys: list[tuple[uuid.UUID, PageRequest]]
) -> list[list[PartnerMapping]]:
    return await repo.mappings_by_customer(session, keys)


async def mappings_by_partner(
    session: AsyncSession, keys: list[tuple[uuid.UUID, PageRequest]]
) -> list[list[PartnerMapping]]:
    return await repo.mappings_by_partner(session, keys)


async def organizations_by_step_code(
    session: AsyncSession, keys: list[uuid.UUID]
) -> list[Organization | None]:
    found = await partners_repo.organizations_by_step_code(session, keys)
    return [found.get(key) for key in keys]
