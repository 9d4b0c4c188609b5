"""Issue 13's figure: the partner console's home (``Customers``) with 10,000 mapped customers
serves its first page within 1.3 times the time it takes with 100.

    python -m bench partner_console [--postgres] [--quick] [--fresh]
                                    [--small=N] [--large=N] [--rounds=N] [--requests=N]

The databases are bench/seed_partners.py's (10 devices and 2 licenses per customer; seeded once
under ``var/bench/`` and reused; ``--fresh`` seeds again). Each is served by a real
``server.py serve`` process; the bench partner gets a password and signs in to the console the
way a browser does (``/`` → the provider's login form → ``/console/callback``), then ``GET /``
is asked with the console's cookie in alternating rounds (bench/_growth.py). The page is one
GraphQL request (``Home``: the frame's viewer and the landing's first 25 customers with their
counts and grants), rendered on the server. ``--quick`` (what ``make bench`` runs) measures
the same sizes in 5 rounds of 40 requests. Exit status 1 when the goal is missed.
"""

from __future__ import annotations

import asyncio
import re
import sys
import uuid

import httpx
from sqlalchemy import update

from bench._console_login import sign_in
from bench._growth import Target, arguments, compare, seeded_targets, verdict
from bench.seed_partners import BENCH_PARTNER_EMAIL, seed_partner
from db.database import Database
from db.models import User
from domain.accounts.hashing import PasswordHasher
from domain.enums import UserStatus

GOAL = 1.3
PAGE = 25  # console/pages/home.py PAGE_SIZE
PASSWORD = "bench partner console passphrase 2026"  # noqa: S105 (a loopback bench account)
_ROW = re.compile(r'<a href="/customers/[0-9a-f-]{36}">')

_cookies: dict[int, httpx.Cookies] = {}


async def _seed(url: str, customers: int) -> uuid.UUID:
    seeded = await seed_partner(url, customers, progress=True)
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.unit_of_work() as session:
            await session.execute(
                update(User)
                .where(User.email == BENCH_PARTNER_EMAIL)
                .values(
                    password_hash=PasswordHasher().hash_blocking(PASSWORD),
                    status=UserStatus.ACTIVE,
                    login_failures=0,
                )
            )
    finally:
        await db.dispose()
    return seeded.user_id


def _sign_in(base: str) -> httpx.Cookies:
    return sign_in(base, BENCH_PARTNER_EMAIL, PASSWORD)


def _first_page(client: httpx.Client, target: Target) -> None:
    cookies = _cookies.get(target.port)
    if cookies is None:  # once per server, when it is up (compare() starts it)
        cookies = _cookies[target.port] = _sign_in(f"http://127.0.0.1:{target.port}")
        client.cookies = cookies
    response = client.get("/")
    rows = len(_ROW.findall(response.text))
    if response.status_code != 200 or rows != min(PAGE, target.size):
        raise SystemExit(f"{target.label}: {response.status_code}, {rows} customer rows")


def main(argv: list[str]) -> int:
    args = arguments(
        argv,
        "python -m bench partner_console",
        unit="customers",
        small=100,
        large=10_000,
        requests=100,
        quick=(100, 10_000),
    )
    small, large = asyncio.run(
        seeded_targets(args, database="partners", unit="customers", seed=_seed)
    )
    print(f"the console's Customers page ({PAGE} rows) as {BENCH_PARTNER_EMAIL}")
    ratio = compare(small, large, _first_page, rounds=args.rounds, requests=args.requests)
    return verdict("partner_console", args, "customers", ratio, GOAL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
