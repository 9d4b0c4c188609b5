"""Migrations: the models and the migration chain agree, on both engines, and concurrent
upgrades (several processes starting at once) end with one schema."""

from __future__ import annotations

import asyncio

from db import migrate


async def test_alembic_check_is_clean(database_url: str) -> None:
    await migrate.check(database_url)


async def test_concurrent_upgrades_are_safe(database_url: str) -> None:
    # The template is already at head; downgrade to nothing and race four upgrades.
    from alembic import command

    config = migrate.alembic_config(database_url)
    engine = migrate.create_null_pool_engine(database_url)
    async with engine.connect() as connection:

        def downgrade(sync_connection: object) -> None:
            config.attributes["connection"] = sync_connection
            command.downgrade(config, "base")

        await connection.run_sync(downgrade)
        await connection.commit()
    await engine.dispose()
    await asyncio.gather(*(migrate.upgrade(database_url) for _ in range(4)))
    await migrate.check(database_url)
