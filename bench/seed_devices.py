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

from sqlalchemy import func, select

from bench._bulk import bench_membership, check_loopback, device_row, insert_rows, mac_address
from db import migrate
from db.database import Database
from db.models import Area, Device
from domain.enums import OrganizationType
from kit.clock import utcnow

BENCH_EMAIL = "bench-devices@example.test"


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
        recorder = n % 10 == 0
        yield device_row(
            n,
            organization_id=organization_id,
            location_id=location_id,
            area_id=area_id,
            recorder=recorder,
            serial=f"BENCH-{n:09d}",
            mac=mac_address(0x02, n),
            name=f"{'Recorder' if recorder else 'Camera'} {n}",
            now=now,
        )


async def _organization(url: str) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    """The organization, its default location and area, and the bench user (made once)."""
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.unit_of_work() as session:
            membership = await bench_membership(
                session,
                email=BENCH_EMAIL,
                organization_type=OrganizationType.CUSTOMER,
                organization_name="Bench Devices Inc.",
                last_name="Devices",
            )
            area = (
                await session.scalars(
                    select(Area).where(
                        Area.organization_id == membership.organization_id,
                        Area.is_default.is_(True),
                    )
                )
            ).one()
            return membership.organization_id, membership.user_id, area.location_id, area.id
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


async def seed(url: str, devices: int, *, progress: bool = False) -> Seeded:
    """Bring ``url`` to ``devices`` devices in the bench organization (adds what is missing)."""
    check_loopback(url)
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
        done = 0

        def stored(batch: int) -> None:
            nonlocal done
            done += batch
            if done % 200_000 == 0:
                print(f"  … {done:,} devices", flush=True)

        await insert_rows(
            url,
            [(Device.__table__, rows)],  # type: ignore[list-item]
            stored if progress else None,
        )
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
