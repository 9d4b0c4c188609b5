"""The app tiles: the catalog seeded by a migration, and which tiles an organization unlocked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from alembic import command
from sqlalchemy import event, func, select

from db import migrate
from db.models import License, Product
from domain.licenses.catalog import app_tiles
from kit.clock import utcnow
from runtime import Services
from schema.limits import BOUNDED_LISTS
from tests.factories import create_actor, create_license
from tests.licenses.support import APP_TILES
from tests.support.gql import call, error_code
from tests.support.server import LiveServer


def unlocked(body: dict[str, Any]) -> set[str]:
    return {tile["key"] for tile in body["data"]["appTiles"] if tile["unlocked"]}


async def test_the_catalog_lists_the_vendors_apps_in_order(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services)
    tiles = (await call(live, actor, APP_TILES))["data"]["appTiles"]
    keys = [tile["key"] for tile in tiles]
    assert keys[:2] == ["HEALTHPRO", "SIGHTMIND"]
    assert len(keys) >= 4 and len(set(keys)) == len(keys)
    by_key = {tile["key"]: tile for tile in tiles}
    assert by_key["HEALTHPRO"]["name"] == "HealthPro"
    assert by_key["SIGHTMIND"]["name"] == "SightMind"
    # The query cost estimate counts Device.licenses (one per product) as this many at most.
    assert len(tiles) <= BOUNDED_LISTS[("Device", "licenses")]
    for tile in tiles:
        assert tile["description"] and tile["icon"]
        assert tile["link"].startswith("https://")
        assert tile["unlocked"] is False


async def test_a_tile_is_unlocked_by_a_license_that_has_not_expired(
    live: LiveServer, services: Services
) -> None:
    customer = await create_actor(services)
    neighbour = await create_actor(services)
    async with services.db.unit_of_work() as session:
        # Redeemed but never attached: owned, so unlocked.
        await create_license(session, product_key="HEALTHPRO", organization=customer.organization)
        # Running term: unlocked.
        await create_license(
            session,
            product_key="CROWDFLOW",
            organization=customer.organization,
            activated_at=utcnow() - timedelta(days=10),
        )
        # Expired: locked (unless another license of the product still runs).
        await create_license(
            session,
            product_key="SIGHTMIND",
            organization=customer.organization,
            term_days=30,
            activated_at=utcnow() - timedelta(days=31),
        )
        # Another organization's license and an unredeemed one unlock nothing here.
        await create_license(session, product_key="PLATESENSE", organization=neighbour.organization)
        await create_license(session, product_key="GUARDWATCH")

    assert unlocked(await call(live, customer, APP_TILES)) == {"HEALTHPRO", "CROWDFLOW"}
    assert unlocked(await call(live, neighbour, APP_TILES)) == {"PLATESENSE"}

    async with services.db.unit_of_work() as session:
        await create_license(session, product_key="SIGHTMIND", organization=customer.organization)
    assert unlocked(await call(live, customer, APP_TILES)) == {
        "HEALTHPRO",
        "CROWDFLOW",
        "SIGHTMIND",
    }

    # Another tenant's tiles are out of reach, like a missing organization's.
    body = await call(live, neighbour, APP_TILES, {"org": str(customer.organization.id)})
    assert error_code(body) == "NOT_FOUND"


async def test_the_landing_page_gets_its_tiles_in_one_query(services: Services) -> None:
    actor = await create_actor(services)
    async with services.db.unit_of_work() as session:
        for key in ("HEALTHPRO", "SIGHTMIND", "GUARDWATCH"):
            await create_license(session, product_key=key, organization=actor.organization)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = services.db.engine.sync_engine
    async with services.db.read_session() as session:
        # Make sure the connection is open before we count (BEGIN is not the tiles' doing).
        await session.connection()
        event.listen(engine, "before_cursor_execute", count)
        try:
            entries = await app_tiles(session, actor.organization.id)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements
    assert {e.product.key for e in entries if e.unlocked} == {
        "HEALTHPRO",
        "SIGHTMIND",
        "GUARDWATCH",
    }


async def test_seeding_the_catalog_again_changes_nothing(
    database_url: str, services: Services
) -> None:
    async with services.db.unit_of_work() as session:
        await create_license(session, product_key="HEALTHPRO")
        before = [(p.id, p.key, p.name) for p in (await session.scalars(select(Product))).all()]
    # Down to the previous revision and up again: products with licenses stay (a license cannot
    # lose its product), the seed meets them and inserts around them.
    config = migrate.alembic_config(database_url)
    engine = migrate.create_null_pool_engine(database_url)
    async with engine.connect() as connection:

        def down_and_up(sync_connection: object) -> None:
            config.attributes["connection"] = sync_connection
            command.downgrade(config, "-1")
            command.upgrade(config, "head")

        await connection.run_sync(down_and_up)
        await connection.commit()
    await engine.dispose()
    await migrate.check(database_url)
    async with services.db.read_session() as session:
        after = [(p.id, p.key, p.name) for p in (await session.scalars(select(Product))).all()]
        licenses = await session.scalar(select(func.count()).select_from(License))
    assert sorted(after) == sorted(before)
    assert licenses == 1
