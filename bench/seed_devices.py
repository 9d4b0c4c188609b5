"""Seed a database with one customer organization holding N devices (for bench_devices).

    python -m bench.seed_devices --url sqlite+aiosqlite:///var/bench/devices.db --devices 1000000

The schema is brought to head with the project's migrations; the organization, its default
location and area, and a Super Admin (bench-devices@example.test) go through the ORM; the devices
through bulk inserts: SQLAlchemy Core ``executemany`` batches on SQLite, ``COPY`` (asyncpg's
``copy_records_to_table``) on PostgreSQL. Ids are UUIDv7 made in order, serial numbers and MAC
addresses count up, so every index grows at its right edge. Loopback databases only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import make_url

from db import migrate
from db.database import Database
from db.models import Area, Device, Membership, Organization, User
from domain.devices.normalize import search_text
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

BENCH_EMAIL = "bench-devices@example.test"
BATCH = 20_000
STATUSES = (DeviceStatus.ONLINE, DeviceStatus.ONLINE, DeviceStatus.OFFLINE, DeviceStatus.PENDING)


@dataclass(frozen=True)
class Seeded:
    organization_id: uuid.UUID
    user_id: uuid.UUID
    devices: int


def _device_rows(
    count: int, organization_id: uuid.UUID, location_id: uuid.UUID, area_id: uuid.UUID
) -> Iterator[dict[str, Any]]:
    now = utcnow()
    for n in range(count):
        serial = f"BENCH-{n:09d}"
        mac_value = (0x02 << 40) | n  # locally administered unicast, counting up
        mac = ":".join(f"{(mac_value >> shift) & 0xFF:02x}" for shift in range(40, -8, -8))
        kind = DeviceKind.RECORDER if n % 10 == 0 else DeviceKind.CAMERA
        name = f"{'Recorder' if kind is DeviceKind.RECORDER else 'Camera'} {n}"
        model = "XRN-1610" if kind is DeviceKind.RECORDER else "XNV-8080R"
        yield {
            "id": uuid7(),
            "organization_id": organization_id,
            "location_id": location_id,
            "area_id": area_id,
            "kind": kind.value,
            "serial_number": serial,
            "mac_address": mac,
            "model": model,
            "name": name,
            "search_text": search_text(
                name=name, serial_number=serial, mac_address=mac, model=model
            ),
            "status": STATUSES[n % len(STATUSES)].value,
            "firmware_version": None,
            "last_seen_at": None,
            "registered_by_id": None,
            "created_at": now,
            "updated_at": now,
        }


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def _organization(url: str) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    """The organization, its default location and area, and the bench user (made once)."""
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.unit_of_work() as session:
            await ensure_signing_key(session, bits=2048)
            user = (await session.scalars(select(User).where(User.email == BENCH_EMAIL))).first()
            if user is None:
                org = Organization(
                    type=OrganizationType.CUSTOMER,
                    status=OrganizationStatus.ACTIVE,
                    name="Bench Devices Inc.",
                    country="DE",
                    activated_at=utcnow(),
                )
                session.add(org)
                await session.flush()
                await create_default_location(session, org.id, country="DE")
                user = User(
                    email=BENCH_EMAIL,
                    first_name="Bench",
                    last_name="Devices",
                    status=UserStatus.ACTIVE,
                    activated_at=utcnow(),
                )
                session.add(user)
                await session.flush()
                session.add(
                    Membership(user_id=user.id, organization_id=org.id, role=Role.SUPER_ADMIN)
                )
                await session.flush()
            membership = (
                await session.scalars(select(Membership).where(Membership.user_id == user.id))
            ).one()
            area = (
                await session.scalars(
                    select(Area).where(
                        Area.organization_id == membership.organization_id,
                        Area.is_default.is_(True),
                    )
                )
            ).one()
            return membership.organization_id, user.id, area.location_id, area.id
    finally:
        await db.dispose()


async def count_devices(url: str) -> int:
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.read_session() as session:
            return int(
                (await session.execute(select(func.count()).select_from(Device))).scalar_one()
            )
    finally:
        await db.dispose()


def _insert_sqlite(url: str, rows: Iterator[dict[str, Any]], progress: bool) -> None:
    sync_url = make_url(url).set(drivername="sqlite")
    engine = create_engine(sync_url)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            done = 0
            for batch in _batches(rows, BATCH):
                connection.execute(insert(Device.__table__), batch)
                connection.commit()
                done += len(batch)
                if progress and done % 200_000 == 0:
                    print(f"  … {done:,} devices", flush=True)
    finally:
        engine.dispose()


_PG_COLUMNS = (
    "id",
    "organization_id",
    "location_id",
    "area_id",
    "kind",
    "serial_number",
    "mac_address",
    "model",
    "name",
    "search_text",
    "status",
    "firmware_version",
    "last_seen_at",
    "registered_by_id",
    "created_at",
    "updated_at",
)


async def _insert_postgres(url: str, rows: Iterator[dict[str, Any]], progress: bool) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        done = 0
        for batch in _batches(rows, BATCH * 5):
            records = [tuple(row[c] for c in _PG_COLUMNS) for row in batch]
            await connection.copy_records_to_table("device", records=records, columns=_PG_COLUMNS)
            done += len(batch)
            if progress and done % 200_000 == 0:
                print(f"  … {done:,} devices", flush=True)
        await connection.execute("ANALYZE device")
    finally:
        await connection.close()


async def seed(url: str, devices: int, *, progress: bool = False) -> Seeded:
    """Bring ``url`` to ``devices`` devices in the bench organization (adds what is missing)."""
    host = make_url(url).host
    if host not in (None, "", "127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to seed a non-loopback database ({host})")
    await migrate.upgrade(url)
    organization_id, user_id, location_id, area_id = await _organization(url)
    have = await count_devices(url)
    if have > devices:
        raise SystemExit(f"{url} already holds {have:,} devices (more than {devices:,})")
    if have < devices:
        if have:
            raise SystemExit(f"{url} holds a partial seed ({have:,} devices): start afresh")
        started = time.monotonic()
        rows = _device_rows(devices, organization_id, location_id, area_id)
        if make_url(url).get_backend_name() == "sqlite":
            await asyncio.to_thread(_insert_sqlite, url, rows, progress)
        else:
            await _insert_postgres(url, rows, progress)
        if progress:
            print(f"  seeded {devices:,} devices in {time.monotonic() - started:.1f}s", flush=True)
    return Seeded(organization_id, user_id, devices)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seed_devices")
    parser.add_argument("--url", required=True, help="PORTAL_DATABASE_URL-style URL (loopback)")
    parser.add_argument("--devices", type=int, required=True)
    args = parser.parse_args(argv)
    seeded = asyncio.run(seed(args.url, args.devices, progress=True))
    print(f"organization {seeded.organization_id}: {seeded.devices:,} devices")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
