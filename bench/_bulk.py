"""Bulk inserts for the seed scripts: ``COPY`` on PostgreSQL (asyncpg's
``copy_records_to_table``), SQLAlchemy Core ``executemany`` batches on SQLite (one transaction per
batch, ``synchronous=OFF``). Rows are dicts keyed by column name; values as the table stores them
(enum members as their ``.value``). Loopback databases only: seeding is never pointed elsewhere.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import Table, create_engine, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from db.device_search import search_text
from db.models import Membership, Organization, User
from domain.enums import (
    DeviceKind,
    DeviceStatus,
    OrganizationStatus,
    OrganizationType,
    Role,
    UserStatus,
)
from domain.locations.defaults import create_default_location
from identity.keys import ensure_signing_key
from kit.clock import utcnow
from kit.ids import uuid7

BATCH = 20_000
DEVICE_STATUSES = (
    DeviceStatus.ONLINE,
    DeviceStatus.ONLINE,
    DeviceStatus.OFFLINE,
    DeviceStatus.PENDING,
)
# After each batch stored: how many rows of the table it held.
Progress = Callable[[int], None]


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


def _insert_sqlite(
    url: str, tables: Sequence[tuple[Table, Iterable[dict[str, Any]]]], progress: Progress | None
) -> None:
    engine = create_engine(make_url(url).set(drivername="sqlite"))
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            for table, rows in tables:
                for batch in batches(rows, BATCH):
                    connection.execute(insert(table), batch)
                    connection.commit()
                    if progress is not None:
                        progress(len(batch))
    finally:
        engine.dispose()


async def _insert_postgres(
    url: str, tables: Sequence[tuple[Table, Iterable[dict[str, Any]]]], progress: Progress | None
) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        for table, rows in tables:
            # As SQLite's INSERT above: a column the rows leave out gets its scalar default, or
            # else is left to the server's default (COPY would store NULL in it).
            defaults = {
                c.name: c.default.arg
                for c in table.columns
                if isinstance(c.default, ScalarElementColumnDefault)
            }
            for batch in batches(rows, BATCH * 5):
                columns = [
                    c.name for c in table.columns if c.name in batch[0] or c.name in defaults
                ]
                records = [
                    tuple(row[c] if c in row else defaults.get(c) for c in columns) for row in batch
                ]
                await connection.copy_records_to_table(table.name, records=records, columns=columns)
                if progress is not None:
                    progress(len(batch))
            await connection.execute(f'ANALYZE "{table.name}"')
    finally:
        await connection.close()


async def insert_rows(
    url: str,
    tables: Sequence[tuple[Table, Iterable[dict[str, Any]]]],
    progress: Progress | None = None,
) -> None:
    """Insert each table's rows, in the order given (parents before children)."""
    check_loopback(url)
    if make_url(url).get_backend_name() == "sqlite":
        await asyncio.to_thread(_insert_sqlite, url, tables, progress)
    else:
        await _insert_postgres(url, tables, progress)


async def bench_membership(
    session: AsyncSession,
    *,
    email: str,
    organization_type: OrganizationType,
    organization_name: str,
    last_name: str,
) -> Membership:
    """The signing key and the bench account's membership: an ACTIVE organization with its default
    location and area, and ``email`` its Super Admin, made the first time and found afterwards."""
    await ensure_signing_key(session, bits=2048)
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        org = Organization(
            type=organization_type,
            status=OrganizationStatus.ACTIVE,
            name=organization_name,
            country="DE",
            activated_at=utcnow(),
        )
        session.add(org)
        await session.flush()
        await create_default_location(session, org.id, country="DE")
        user = User(
            email=email,
            first_name="Bench",
            last_name=last_name,
            status=UserStatus.ACTIVE,
            activated_at=utcnow(),
        )
        session.add(user)
        await session.flush()
        session.add(Membership(user_id=user.id, organization_id=org.id, role=Role.SUPER_ADMIN))
        await session.flush()
    return (await session.scalars(select(Membership).where(Membership.user_id == user.id))).one()


def mac_address(prefix: int, number: int) -> str:
    """A locally administered unicast address (``prefix`` its first octet), counting up."""
    value = (prefix << 40) | number
    return ":".join(f"{(value >> shift) & 0xFF:02x}" for shift in range(40, -8, -8))


def device_row(
    number: int,
    *,
    organization_id: uuid.UUID,
    location_id: uuid.UUID,
    area_id: uuid.UUID,
    recorder: bool,
    serial: str,
    mac: str,
    name: str,
    now: datetime,
) -> dict[str, Any]:
    """A device as registered (no firmware, never seen); its status cycles with ``number``."""
    kind = DeviceKind.RECORDER if recorder else DeviceKind.CAMERA
    model = "XRN-1610" if recorder else "XNV-8080R"
    return {
        "id": uuid7(),
        "organization_id": organization_id,
        "location_id": location_id,
        "area_id": area_id,
        "kind": kind.value,
        "serial_number": serial,
        "mac_address": mac,
        "model": model,
        "name": name,
        "search_text": search_text(name=name, serial_number=serial, mac_address=mac, model=model),
        "status": DEVICE_STATUSES[number % len(DEVICE_STATUSES)].value,
        "firmware_version": None,
        "last_seen_at": None,
        "registered_by_id": None,
        "created_at": now,
        "updated_at": now,
    }
