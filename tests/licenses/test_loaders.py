"""The licenses area's DataLoaders: many keys, one query, results aligned with the keys."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from kit.clock import utcnow
from runtime import Services
from schema.dataloaders import Loaders
from tests.factories import attach_device, create_actor, create_device, create_license


@contextmanager
def selects(services: Services) -> Iterator[list[str]]:
    executed: list[str] = []

    def count(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            executed.append(str(args[2]))

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield executed
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_license_summaries_of_many_organizations_in_one_query(services: Services) -> None:
    busy, quiet, other = [await create_actor(services) for _ in range(3)]
    async with services.db.unit_of_work() as session:
        await create_license(session, organization=busy.organization)
        lic, _ = await create_license(
            session, organization=busy.organization, activated_at=utcnow()
        )
        await attach_device(session, lic, await create_device(session, busy.organization))
        await create_license(
            session,
            organization=other.organization,
            term_days=10,
            activated_at=utcnow() - timedelta(days=11),
        )
    loaders = Loaders(services)
    keys = [busy.organization.id, quiet.organization.id, other.organization.id]
    with selects(services) as executed:
        found = await loaders.license_summary_by_organization_id.load_many(keys)
    assert len(executed) == 1
    assert [(s.total, s.available, s.in_use, s.expiring_soon, s.expired) for s in found] == [
        (2, 1, 1, 0, 0),
        (0, 0, 0, 0, 0),
        (1, 0, 0, 0, 1),
    ]


async def test_licenses_of_many_devices_in_one_query(services: Services) -> None:
    actor = await create_actor(services)
    async with services.db.unit_of_work() as session:
        both, one, none = [await create_device(session, actor.organization) for _ in range(3)]
        health, _ = await create_license(session, organization=actor.organization, seats=2)
        sight, _ = await create_license(
            session, product_key="SIGHTMIND", organization=actor.organization
        )
        await attach_device(session, health, both)
        await attach_device(session, sight, both)
        await attach_device(session, health, one)
    loaders = Loaders(services)
    with selects(services) as executed:
        found = await loaders.licenses_by_device_id.load_many([both.id, one.id, none.id])
    assert len(executed) == 1
    assert [[row.product.key for row in rows] for rows in found] == [
        ["HEALTHPRO", "SIGHTMIND"],
        ["HEALTHPRO"],
        [],
    ]
    assert [row.seats_used for row in found[0]] == [2, 1]
