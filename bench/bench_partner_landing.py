"""Issue 6, benchmark 4 (the partner half): the first page of the partner landing with 100,000
customers (1,000,000 devices among them) ÷ the same with 1,000 customers (10,000 devices).
Goal: ≤ 1.3.

    python -m bench partner_landing [--postgres] [--quick] [--fresh]
                                    [--small=N] [--large=N] [--rounds=N] [--requests=N]

Each database is seeded once by ``bench/seed_partners.py`` (10 devices and 2 licenses per
customer; SQLite files under ``var/bench/`` or PostgreSQL databases ``portal_bench_partners_<n>``)
and reused by later runs (``--fresh`` seeds again). Both are served by real ``server.py serve``
processes and asked in alternating rounds (bench/_growth.py). ``--quick`` (what ``make bench``
runs): 200 ÷ 5,000 customers; the full sizes are ``make bench-growth``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import httpx
from sqlalchemy.engine import make_url

from bench._growth import Target, compare, graphql
from bench._landing_app import LANDING_QUERY
from bench._support import free_port
from bench._targets import database_url, mint_token
from bench.seed_partners import BENCH_PARTNER_EMAIL, seed_partner

GOAL = 1.3
PAGE = 50


def _first_page(client: httpx.Client, target: Target) -> None:
    data = graphql(client, target, LANDING_QUERY, {"first": PAGE})
    edges = data["landing"]["customers"]["edges"]
    if len(edges) != min(PAGE, target.size) or edges[0]["node"]["deviceCounts"]["total"] != 10:
        raise SystemExit(f"{target.label}: not the first page expected")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench partner_landing")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--quick", action="store_true", help="200 ÷ 5,000 customers, 5 rounds")
    parser.add_argument("--fresh", action="store_true", help="seed the databases again")
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args(argv)
    if args.quick:
        args.small, args.large, args.rounds, args.requests = 200, 5_000, 5, 40

    async def prepare() -> list[Target]:
        targets = []
        users = []
        for customers in (args.small, args.large):
            url = await database_url(
                f"partners_{customers}", postgres=args.postgres, fresh=args.fresh
            )
            backend = make_url(url).get_backend_name()
            print(f"seeding {customers:,} customers ({backend}) …", flush=True)
            seeded = await seed_partner(url, customers, progress=True)
            targets.append(Target(size=customers, url=url, unit="customers", port=free_port()))
            users.append(seeded.user_id)
        for target, user_id in zip(targets, users, strict=True):
            target.token = await mint_token(target.url, user_id, f"http://127.0.0.1:{target.port}")
        return targets

    small, large = asyncio.run(prepare())
    print(
        f"first page of the partner landing ({PAGE} customers with location count, device "
        f"counts, license summary) as {BENCH_PARTNER_EMAIL}"
    )
    ratio = compare(small, large, _first_page, rounds=args.rounds, requests=args.requests)
    print(f"goal ≤ {GOAL}: {'met' if ratio <= GOAL else 'NOT met'}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
