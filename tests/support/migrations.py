"""What the migration tests share: a database taken back to just before one revision and filled
with rows as the older schema had them, then upgraded to head and checked against the models."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection

from db import migrate
from db.types import UTCDateTime

# The organization table as every revision since the first has it (the columns a row needs).
organization = sa.table(
    "organization",
    sa.column("id", sa.Uuid()),
    sa.column("type", sa.String()),
    sa.column("status", sa.String()),
    sa.column("name", sa.String()),
    sa.column("country", sa.String()),
    sa.column("require_mfa", sa.Boolean()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


@contextlib.asynccontextmanager
async def just_before(database_url: str, revision: str) -> AsyncIterator[AsyncConnection]:
    """A connection to the database downgraded to just before ``revision`` (whatever came before
    it), committed when the block ends."""
    config = migrate.alembic_config(database_url)
    engine = migrate.create_null_pool_engine(database_url)
    try:
        async with engine.connect() as connection:

            def downgrade(sync_connection: object) -> None:
                config.attributes["connection"] = sync_connection
                script = ScriptDirectory.from_config(config)
                found = script.get_revision(revision)
                assert found is not None and isinstance(found.down_revision, str)
                command.downgrade(config, found.down_revision)

            await connection.run_sync(downgrade)
            yield connection
            await connection.commit()
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def upgraded(database_url: str) -> AsyncIterator[AsyncConnection]:
    """Upgrade the database to head, check it against the models, and a connection to read it."""
    await migrate.upgrade(database_url)
    await migrate.check(database_url)
    engine = migrate.create_null_pool_engine(database_url)
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()
