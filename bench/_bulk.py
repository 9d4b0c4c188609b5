"""Bulk inserts for the seed scripts: ``COPY`` on PostgreSQL (asyncpg's
``copy_records_to_table``), SQLAlchemy Core ``executemany`` batches on SQLite (one transaction per
batch, ``synchronous=OFF``). Rows are dicts keyed by column name; values as the table stores them
(enum members as their ``.value``). Loopback databases only: seeding is never pointed elsewhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import asyncpg
from sqlalchemy import Table, create_engine, insert
from sqlalchemy.engine import make_url

BATCH = 20_000


def check_loopback(url: str) -> None:
    host = make_url(url).host
    if host not in (None, "", "127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to seed a non-loopback database ({host})")


def batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_sqlite(url: str, tables: Sequence[tuple[Table, Iterable[dict[str, Any]]]]) -> None:
    engine = create_engine(make_url(url).set(drivername="sqlite"))
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            for table, rows in tables:
                for batch in batches(rows, BATCH):
                    connection.execute(insert(table), batch)
                    connection.commit()
    finally:
        engine.dispose()


async def _insert_postgres(
    url: str, tables: Sequence[tuple[Table, Iterable[dict[str, Any]]]]
) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        for table, rows in tables:
            columns = [c.name for c in table.columns]
            for batch in batches(rows, BATCH * 5):
                records = [tuple(row.get(c) for c in columns) for row in batch]
                await connection.copy_records_to_table(table.name, records=records, columns=columns)
            await connection.execute(f'ANALYZE "{table.name}"')
    finally:
        await connection.close()


async def insert_rows(url: str, tables: Sequence[tuple[Table, Iterable[dict[str, Any]]]]) -> None:
    """Insert each table's rows, in the order given (parents before children)."""
    check_loopback(url)
    if make_url(url).get_backend_name() == "sqlite":
        await asyncio.to_thread(_insert_sqlite, url, tables)
    else:
        await _insert_postgres(url, tables)
