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

import asyncio
import sys
import uuid

import httpx

from bench._growth import Target, arguments, compare, graphql, seeded_targets, verdict
from bench._landing_app import LANDING_QUERY
from bench.seed_partners import BENCH_PARTNER_EMAIL, seed_partner

GOAL = 1.3
PAGE = 50


def _first_page(client: httpx.Client, target: Target) -> None:
    data = graphql(client, target, LANDING_QUERY, {"first": PAGE})
    edges = data["landing"]["customers"]["edges"]
    if len(edges) != min(PAGE, target.size) or edges[0]["node"]["deviceCounts"]["total"] != 10:
        raise SystemExit(f"{target.label}: not the first page expected")


async def _seed(url: str, customers: int) -> uuid.UUID:
    return (await seed_partner(url, customers, progress=True)).user_id


def main(argv: list[str]) -> int:
    args = arguments(
        argv,
        "python -m bench partner_landing",
        unit="customers",
        small=1_000,
        large=100_000,
        requests=100,
        quick=(200, 5_000),
    )
    small, large = asyncio.run(
        seeded_targets(args, database="partners", unit="customers", seed=_seed)
    )
    print(
        f"first page of the partner landing ({PAGE} customers with location count, device "
        f"counts, license summary) as {BENCH_PARTNER_EMAIL}"
    )
    ratio = compare(small, large, _first_page, rounds=args.rounds, requests=args.requests)
    return verdict("partner_landing", args, "customers", ratio, GOAL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
