"""License reads against organization size: a page of the list, a filtered page, the summary.

Baseline: the same reads for an organization with 50 licenses. The measured organization holds
N (default 5,000) licenses with every status represented. A keyset page should cost about the same
whatever the organization's size (ratio near 1); a filtered page scans until it fills, and the
summary aggregates every license of the organization (both grow with N — the ratio says by how
much). SQLite file database, warm cache, best of several runs. Verdict: the unfiltered page's
ratio, goal ≤ 1.3 (the filtered page and the summary are figures).

``python -m bench licenses [--licenses=N] [--postgres]``
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench._verdict import verdict
from db import migrate
from db.database import Database
from db.models import Device, License, LicenseAttachment, Organization, Product
from domain.enums import (
    DeviceKind,
    DeviceStatus,
    LicenseStatus,
    OrganizationStatus,
    OrganizationType,
)
from domain.licenses import queries
from domain.locations.defaults import create_default_location
from kit.clock import utcnow
from kit.ids import uuid7
from kit.pagination import PageRequest

GOAL = 1.3
PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


async def _seed(db: Database, count: int) -> uuid.UUID:
    """An organization with ``count`` licenses: 60% available, 25% in use, 10% expiring soon, 5%
    expired (the rare status is the costly filter)."""
    now = utcnow()
    async with db.unit_of_work() as session:
        org = Organization(
            type=OrganizationType.CUSTOMER,
            status=OrganizationStatus.ACTIVE,
            name="Bench",
            country="DE",
        )
        session.add(org)
        await session.flush()
        _, area = await create_default_location(session, org.id, country="DE")
        product_id = await session.scalar(select(Product.id).where(Product.key == "HEALTHPRO"))
        assert product_id is not None, "the catalog migration seeds HEALTHPRO"
        licenses, devices, attachments = [], [], []
        for i in range(count):
            bucket = i % 20
            activated = None
            if bucket >= 12:  # in use, expiring soon or expired: attached once
                days_left = 200 if bucket < 17 else (10 if bucket < 19 else -5)
                activated = now - timedelta(days=365 - days_left)
            lic = License(
                id=uuid7(),
                key_hash=uuid.uuid4().hex + uuid.uuid4().hex,
                key_hint="BNCH",
                product_id=product_id,
                term_days=365,
                seats=1,
                organization_id=org.id,
                redeemed_at=now,
                activated_at=activated,
                expires_at=activated + timedelta(days=365) if activated else None,
            )
            licenses.append(lic)
            if activated is not None:
                device = Device(
                    id=uuid7(),
                    organization_id=org.id,
                    location_id=area.location_id,
                    area_id=area.id,
                    kind=DeviceKind.CAMERA,
                    serial_number=f"B{uuid.uuid4().hex[:20]}",
                    mac_address=":".join(f"{b:02x}" for b in uuid.uuid4().bytes[:6]),
                    model="bench",
                    name=f"bench {i}",
                    status=DeviceStatus.ONLINE,
                )
                devices.append(device)
                attachments.append(
                    LicenseAttachment(license_id=lic.id, device_id=device.id, product_id=product_id)
                )
        session.add_all(licenses)
        session.add_all(devices)
        await session.flush()
        session.add_all(attachments)
        return org.id


async def _best(fn: Callable[[], Awaitable[object]], runs: int = 15) -> float:
    await fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - started)
    return min(times)


async def _measure(db: Database, org_id: uuid.UUID) -> dict[str, float]:
    clock = queries.status_clock(30)
    page = PageRequest(first=50, after=None)
    results: dict[str, float] = {}

    async def listing(status: LicenseStatus | None) -> None:
        async with db.read_session() as session:
            where = queries.LicenseFilter(org_id, status, None)
            await queries.list_licenses(session, where, page, clock)

    async def summary() -> None:
        async with db.read_session() as session:
            await queries.license_summaries(session, [org_id], clock)

    results["page of 50"] = await _best(lambda: listing(None))
    results["page of 50, EXPIRED only"] = await _best(lambda: listing(LicenseStatus.EXPIRED))
    results["summary"] = await _best(summary)
    return results


async def _run(url: str, count: int) -> int:
    await migrate.upgrade(url)
    db = Database.from_url(url)
    try:
        small = await _seed(db, 50)
        large = await _seed(db, count)
        # Small and large in alternating rounds (each a best of 15), the best of every round kept.
        base: dict[str, float] = {}
        big: dict[str, float] = {}
        for number in range(3):
            pair = [(small, base), (large, big)]
            for org_id, best in pair if number % 2 == 0 else reversed(pair):
                for name, seconds in (await _measure(db, org_id)).items():
                    best[name] = min(best.get(name, seconds), seconds)
    finally:
        await db.dispose()
    print(f"{'read':<28}{'50 licenses':>14}{f'{count} licenses':>18}{'ratio':>9}")
    for name in base:
        print(
            f"{name:<28}{base[name] * 1000:>12.2f}ms{big[name] * 1000:>16.2f}ms"
            f"{big[name] / base[name]:>9.2f}"
        )
    return verdict(
        "licenses",
        f"page of 50, {count} ÷ 50 licenses",
        big["page of 50"] / base["page of 50"],
        GOAL,
        at_most=True,
        conditions=make_url(url).get_backend_name(),
    )


def main(argv: list[str]) -> int:
    count = 5000
    postgres = False
    for arg in argv:
        if arg.startswith("--licenses="):
            count = int(arg.split("=", 1)[1])
        elif arg == "--postgres":
            postgres = True
    if postgres:
        import asyncpg

        name = f"portal_bench_{uuid.uuid4().hex[:10]}"

        async def pg() -> int:
            conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
            await conn.execute(f'CREATE DATABASE "{name}"')
            try:
                return await _run(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", count)
            finally:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await conn.close()

        return asyncio.run(pg())
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as directory:
        return asyncio.run(_run(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}", count))
