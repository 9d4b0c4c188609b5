"""Seed a database with one STEP partner supporting N customer organizations (for the partner
landing benchmarks: bench_graphql_overhead and bench_partner_landing).

    python -m bench.seed_partners --url sqlite+aiosqlite:///var/bench/partners.db --customers 100000

Each customer is what a real one holds after sign-up and some use: an ACTIVE organization, its
default location and area, an ACTIVE mapping to the partner, ``--devices-per-customer`` devices
(10: 100,000 customers hold 1,000,000 devices) and ``--licenses-per-customer`` licenses (2: one
available, one in its term). The partner, its Super Admin (bench-partner@example.test) and the
signing key go through the ORM; everything else through bulk inserts (bench/_bulk.py). Ids are
UUIDv7 made in order, so every index grows at its right edge as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bench._bulk import bench_membership, check_loopback, device_row, insert_rows, mac_address
from db import migrate
from db.database import Database
from db.models import (
    Area,
    Device,
    License,
    Location,
    Organization,
    PartnerMapping,
    Product,
)
from domain.enums import (
    OrganizationStatus,
    OrganizationType,
    PartnerAccessNotice,
    PartnerAccessScope,
    PartnerMappingStatus,
)
from domain.locations.defaults import (
    DEFAULT_AREA_NAME,
    DEFAULT_LOCATION_NAME,
)
from kit.clock import utcnow
from kit.crypto import sha256_hex
from kit.ids import uuid7
from kit.text import fold

BENCH_PARTNER_EMAIL = "bench-partner@example.test"
COUNTRIES = ("DE", "FR", "US", "GB", "NL", "IT", "ES", "SE")


@dataclass(frozen=True)
class SeededPartner:
    organization_id: uuid.UUID
    user_id: uuid.UUID
    customers: int


async def _partner(url: str) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """The partner organization, its Super Admin and a product for the licenses (made once)."""
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.unit_of_work() as session:
            membership = await bench_membership(
                session,
                email=BENCH_PARTNER_EMAIL,
                organization_type=OrganizationType.PARTNER,
                organization_name="Bench Installers GmbH",
                last_name="Partner",
            )
            product = (await session.scalars(select(Product.id).order_by(Product.id))).first()
            if product is None:
                raise SystemExit("the product catalog is empty (migrations not applied?)")
            return membership.organization_id, membership.user_id, product
    finally:
        await db.dispose()


async def count_customers(url: str, partner_id: uuid.UUID) -> int:
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.read_session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(PartnerMapping)
                .where(PartnerMapping.partner_organization_id == partner_id)
            )
            return int(count or 0)
    finally:
        await db.dispose()


@dataclass
class _Rows:
    """One generator per table, fed in step so that parents are made before their children."""

    organizations: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    mappings: list[dict[str, Any]]
    devices: list[dict[str, Any]]
    licenses: list[dict[str, Any]]


def _customer_rows(
    first: int,
    count: int,
    *,
    partner_id: uuid.UUID,
    product_id: uuid.UUID,
    devices_per_customer: int,
    licenses_per_customer: int,
) -> _Rows:
    now = utcnow()
    rows = _Rows([], [], [], [], [], [])
    for n in range(first, first + count):
        country = COUNTRIES[n % len(COUNTRIES)]
        org_id, location_id, area_id = uuid7(), uuid7(), uuid7()
        stamps = {"created_at": now, "updated_at": now}
        rows.organizations.append(
            {
                "id": org_id,
                "type": OrganizationType.CUSTOMER.value,
                "status": OrganizationStatus.ACTIVE.value,
                "name": f"Customer {n:06d} Security Ltd",
                "country": country,
                "address": None,
                "phone": None,
                "require_mfa": False,
                "step_code_id": None,
                "activated_at": now,
                "suspended_at": None,
                "suspended_reason": None,
                "deleted_at": None,
                **stamps,
            }
        )
        rows.locations.append(
            {
                "id": location_id,
                "organization_id": org_id,
                "name": DEFAULT_LOCATION_NAME,
                "name_key": fold(DEFAULT_LOCATION_NAME),
                "time_zone": "Europe/Berlin",
                "address": None,
                "is_default": True,
                **stamps,
            }
        )
        rows.areas.append(
            {
                "id": area_id,
                "organization_id": org_id,
                "location_id": location_id,
                "name": DEFAULT_AREA_NAME,
                "name_key": fold(DEFAULT_AREA_NAME),
                "is_default": True,
                **stamps,
            }
        )
        rows.mappings.append(
            {
                "id": uuid7(),
                "partner_organization_id": partner_id,
                "customer_organization_id": org_id,
                "status": PartnerMappingStatus.ACTIVE.value,
                "created_by_id": None,
                "accepted_at": now,
                "ended_at": None,
                "ended_by_id": None,
                "access_scope": PartnerAccessScope.DEVICES_LICENSES_USERS.value,
                "access_expires_at": now + timedelta(days=365),
                "access_notice": PartnerAccessNotice.NONE.value,
                **stamps,
            }
        )
        for d in range(devices_per_customer):
            number = n * devices_per_customer + d
            recorder = d == 0
            rows.devices.append(
                device_row(
                    number,
                    organization_id=org_id,
                    location_id=location_id,
                    area_id=area_id,
                    recorder=recorder,
                    serial=f"BP-{number:010d}",
                    mac=mac_address(0x06, number),
                    name=f"{'Recorder' if recorder else 'Camera'} {d + 1}",
                    now=now,
                )
            )
        for k in range(licenses_per_customer):
            started = k % 2 == 1  # every other license is in its term (expires in a year)
            rows.licenses.append(
                {
                    "id": uuid7(),
                    "key_hash": sha256_hex(f"bench-license-{n}-{k}"),
                    "key_hint": f"{k:04d}",
                    "product_id": product_id,
                    "term_days": 365,
                    "seats": 4,
                    "issued_by_id": None,
                    "organization_id": org_id,
                    "redeemed_at": now,
                    "redeemed_by_id": None,
                    "activated_at": now if started else None,
                    "expires_at": now + timedelta(days=365) if started else None,
                    "created_at": now,
                }
            )
    return rows


def _chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for first in range(0, total, size):
        yield first, min(size, total - first)


async def seed_partner(
    url: str,
    customers: int,
    *,
    devices_per_customer: int = 10,
    licenses_per_customer: int = 2,
    progress: bool = False,
) -> SeededPartner:
    """Bring ``url`` to ``customers`` customers of the bench partner (a fresh seed only)."""
    check_loopback(url)
    await migrate.upgrade(url)
    partner_id, user_id, product_id = await _partner(url)
    have = await count_customers(url, partner_id)
    if have == customers:
        return SeededPartner(partner_id, user_id, customers)
    if have:
        raise SystemExit(f"{url} holds {have:,} customers, not {customers:,}: start afresh")
    started = time.monotonic()
    chunk = 10_000  # customers per round of inserts: bounded memory at any size
    for first, count in _chunks(customers, chunk):
        rows = _customer_rows(
            first,
            count,
            partner_id=partner_id,
            product_id=product_id,
            devices_per_customer=devices_per_customer,
            licenses_per_customer=licenses_per_customer,
        )
        await insert_rows(
            url,
            [
                (Organization.__table__, rows.organizations),  # type: ignore[list-item]
                (Location.__table__, rows.locations),  # type: ignore[list-item]
                (Area.__table__, rows.areas),  # type: ignore[list-item]
                (PartnerMapping.__table__, rows.mappings),  # type: ignore[list-item]
                (Device.__table__, rows.devices),  # type: ignore[list-item]
                (License.__table__, rows.licenses),  # type: ignore[list-item]
            ],
        )
        if progress and customers > chunk:
            print(f"  … {first + count:,} customers", flush=True)
    if progress:
        print(
            f"  seeded {customers:,} customers ({customers * devices_per_customer:,} devices) "
            f"in {time.monotonic() - started:.1f}s",
            flush=True,
        )
    return SeededPartner(partner_id, user_id, customers)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seed_partners")
    parser.add_argument("--url", required=True, help="PORTAL_DATABASE_URL-style URL (loopback)")
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--devices-per-customer", type=int, default=10)
    parser.add_argument("--licenses-per-customer", type=int, default=2)
    args = parser.parse_args(argv)
    seeded = asyncio.run(
        seed_partner(
            args.url,
            args.customers,
            devices_per_customer=args.devices_per_customer,
            licenses_per_customer=args.licenses_per_customer,
            progress=True,
        )
    )
    print(f"partner {seeded.organization_id}: {seeded.customers:,} customers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
