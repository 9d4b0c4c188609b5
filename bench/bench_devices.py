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

import argparse
import asyncio
import sys

import httpx
from sqlalchemy.engine import make_url

from bench._growth import Target, compare, graphql
from bench._support import free_port
from bench._targets import database_url, mint_token
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench devices")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--quick", action="store_true", help="1,000 ÷ 20,000 devices, 5 rounds")
    parser.add_argument("--fresh", action="store_true", help="seed the databases again")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    if args.quick:
        args.small, args.large, args.rounds, args.requests = 1_000, 20_000, 5, 40

    async def prepare() -> list[Target]:
        targets = []
        users = []
        for devices in (args.small, args.large):
            url = await database_url(f"devices_{devices}", postgres=args.postgres, fresh=args.fresh)
            print(f"seeding {devices:,} devices ({make_url(url).get_backend_name()}) …", flush=True)
            seeded = await seed(url, devices, progress=True)
            targets.append(Target(size=devices, url=url, unit="devices", port=free_port()))
            users.append(seeded.user_id)
        # Tokens last minutes: mint them once every database is ready.
        for target, user_id in zip(targets, users, strict=True):
            target.token = await mint_token(target.url, user_id, f"http://127.0.0.1:{target.port}")
        return targets

    small, large = asyncio.run(prepare())
    print(f"first page ({PAGE} devices with area and location) as {BENCH_EMAIL}")
    ratio = compare(small, large, _first_page, rounds=args.rounds, requests=args.requests)
    print(f"goal ≤ {GOAL}: {'met' if ratio <= GOAL else 'NOT met'}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
