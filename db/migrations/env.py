"""Alembic environment: async engines, batch mode on SQLite, a connection handed in by
``db.migrate`` (which holds the migration lock) or one made from PORTAL_DATABASE_URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import db.models  # noqa: F401  (fills Base.metadata)
from db.base import Base
from db.database import create_null_pool_engine

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    from settings import load_settings

    url = config.attributes.get("database_url") or load_settings().database_url
    engine = create_null_pool_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _run_sync(connection)
else:
    asyncio.run(_run_online())
