"""Issue 6, benchmark 4 (the device half): the first page of the device list with 1,000,000
devices ÷ the same with 10,000 devices in one organization. Goal: ≤ 1.3.

    python -m bench devices [--postgres] [--quick] [--fresh]
                            [--small=N] [--large=N] [--rounds=N] [--requests=N]

Each database is seeded once by ``bench/seed_devices.py`` (SQLite files under ``var/bench/``, or
PostgreSQL databases ``portal_bench_devices_<n>`` on the loopback server; bench/_targets.py) and
reused by later runs (``--fresh`` seeds again). Both are served by real ``server.py serve``
processes and asked in alternating rounds (bench/_growth.py). ``--quick`` (what ``make bench``
runs): 1,000 ÷ 20,000 devices; the full sizes are ``make bench-growth``.
"""

from __future__ import annotations

import asyncio
import sys
import uuid

import httpx

from bench._growth import Target, arguments, compare, graphql, seeded_targets, verdict
from bench.seed_devices import BENCH_EMAIL, seed

GOAL = 1.3
PAGE = 50
QUERY = """
query DeviceList($first: Int!) {
  devices(first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name serialNumber macAddress kind status model
      area { id name } location { id name timeZone } } }
  }
}
"""


def _first_page(client: httpx.Client, target: Target) -> None:
    data = graphql(client, target, QUERY, {"first": PAGE})
    if len(data["devices"]["edges"]) != min(PAGE, target.size):
        raise SystemExit(f"{target.label}: a short first page")


async def _seed(url: str, devices: int) -> uuid.UUID:
    return (await seed(url, devices, progress=True)).user_id


def main(argv: list[str]) -> int:
    args = arguments(
        argv,
        "python -m bench devices",
        unit="devices",
        small=10_000,
        large=1_000_000,
        requests=200,
        quick=(1_000, 20_000),
    )
    small, large = asyncio.run(seeded_targets(args, database="devices", unit="devices", seed=_seed))
    print(f"first page ({PAGE} devices with area and location) as {BENCH_EMAIL}")
    ratio = compare(small, large, _first_page, rounds=args.rounds, requests=args.requests)
    return verdict("devices", args, "devices", ratio, GOAL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
