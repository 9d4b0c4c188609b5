"""Issue 6, benchmark 4 (the device half): the first page of the device list with 10,000 devices
÷ the same with 1,000,000 devices in one organization. Goal: ≤ 1.3.

    python -m bench devices [--postgres] [--postgres-url=URL] [--quick] [--fresh]
                            [--small=N] [--large=N] [--rounds=N] [--requests=N]

Each database is seeded once by ``bench/seed_devices.py`` (SQLite files under ``var/bench/``, or
PostgreSQL databases ``portal_bench_devices_<n>`` on the loopback server) and reused by later runs
(``--fresh`` seeds again). Both are served by real ``server.py serve`` processes; this process is
the load generator: keep-alive HTTP, one request at a time, rounds alternating between the two
servers so that drift hits both alike. Printed: per-request latency (median of each round; min,
median and max over rounds) and requests per second, and the ratio of the medians
large ÷ small.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench.seed_devices import BENCH_EMAIL, seed
from db.database import Database
from identity.access_tokens import issue_access_token
from identity.keys import KeyService
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent
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


@dataclass
class Target:
    devices: int
    url: str
    port: int = 0
    token: str = ""
    process: subprocess.Popen[bytes] | None = None
    latencies: list[float] = field(default_factory=list)  # the median of each round, seconds
    rates: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.devices:>9,} devices"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _ensure_postgres_database(admin_url: str, name: str, fresh: bool) -> str:
    dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        if fresh:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _sqlite_url(devices: int, fresh: bool) -> str:
    directory = ROOT / "var" / "bench"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"devices-{devices}.db"
    if fresh:
        for suffix in ("", "-wal", "-shm", ".migrate.lock"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
    return f"sqlite+aiosqlite:///{path}"


async def _token(target: Target, user_id: object) -> str:
    settings = Settings(database_url=target.url, public_url=f"http://127.0.0.1:{target.port}")
    db = Database.from_url(target.url, pool_size=1)
    try:
        keys = KeyService(db)
        await keys.load()
        return await issue_access_token(
            keys,
            issuer=settings.issuer,
            audience=settings.api_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
            user_id=user_id,  # type: ignore[arg-type]
            client_id="bench",
            scope="openid",
            security_stamp=None,
        )
    finally:
        await db.dispose()


def _start(target: Target) -> None:
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": target.url,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{target.port}",
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_MAIL_DIR": str(ROOT / "var" / "bench" / "mail"),
    }
    target.process = subprocess.Popen(
        [sys.executable, "server.py", "serve", "--port", str(target.port)], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if target.process.poll() is not None:
            raise SystemExit(f"the server for {target.label} exited ({target.process.returncode})")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{target.port}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server for {target.label} did not start")


def _stop(target: Target) -> None:
    if target.process is not None and target.process.poll() is None:
        target.process.send_signal(signal.SIGTERM)
        try:
            target.process.wait(30)
        except subprocess.TimeoutExpired:
            target.process.kill()
            target.process.wait()


def _first_page(client: httpx.Client, target: Target) -> None:
    response = client.post(
        "/graphql",
        json={"query": QUERY, "variables": {"first": PAGE}},
        headers={"Authorization": f"Bearer {target.token}"},
    )
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise SystemExit(f"{target.label}: {response.status_code} {body}")
    if len(body["data"]["devices"]["edges"]) != min(PAGE, target.devices):
        raise SystemExit(f"{target.label}: a short first page")


def _round(client: httpx.Client, target: Target, requests: int) -> None:
    times = []
    started = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        _first_page(client, target)
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    target.latencies.append(statistics.median(times))
    target.rates.append(requests / elapsed)


@contextlib.contextmanager
def _serving(targets: list[Target]) -> Iterator[None]:
    try:
        for target in targets:
            _start(target)
        yield
    finally:
        for target in targets:
            _stop(target)


def _spread(values: list[float], scale: float, unit: str) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"min {low * scale:8.2f}  median {mid * scale:8.2f}  max {high * scale:8.2f} {unit}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench devices")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "PORTAL_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        ),
        help="an admin URL on the loopback server (databases are created next to it)",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 ÷ 20,000 devices, 3 rounds")
    parser.add_argument("--fresh", action="store_true", help="seed the databases again")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    if args.quick:
        args.small, args.large, args.rounds, args.requests = 1_000, 20_000, 3, 50

    async def prepare() -> list[Target]:
        targets = []
        users = []
        for devices in (args.small, args.large):
            if args.postgres:
                url = await _ensure_postgres_database(
                    args.postgres_url, f"portal_bench_devices_{devices}", args.fresh
                )
            else:
                url = _sqlite_url(devices, args.fresh)
            print(f"seeding {devices:,} devices ({make_url(url).get_backend_name()}) …", flush=True)
            seeded = await seed(url, devices, progress=True)
            targets.append(Target(devices=devices, url=url, port=_free_port()))
            users.append(seeded.user_id)
        # Tokens last minutes: mint them once every database is ready.
        for target, user_id in zip(targets, users, strict=True):
            target.token = await _token(target, user_id)
        return targets

    targets = asyncio.run(prepare())
    small, large = targets
    print(f"first page ({PAGE} devices with area and location) as {BENCH_EMAIL}")
    with _serving(targets):
        clients = {
            t.devices: httpx.Client(base_url=f"http://127.0.0.1:{t.port}", timeout=60)
            for t in targets
        }
        try:
            for target in targets:  # warm up: connections, caches, the databases' pages
                for _ in range(max(20, args.requests // 5)):
                    _first_page(clients[target.devices], target)
            for number in range(args.rounds):
                order = targets if number % 2 == 0 else list(reversed(targets))
                for target in order:
                    _round(clients[target.devices], target, args.requests)
        finally:
            for client in clients.values():
                client.close()

    for target in targets:
        print(f"{target.label}: latency {_spread(target.latencies, 1e3, 'ms')}")
        print(f"{'':>17}  rate    {_spread(target.rates, 1.0, 'req/s')}")
    ratio = statistics.median(large.latencies) / statistics.median(small.latencies)
    per_round = [b / a for a, b in zip(small.latencies, large.latencies, strict=True)]
    print(
        f"ratio {large.devices:,} ÷ {small.devices:,} (median latency): {ratio:.3f}  "
        f"[per round: min {min(per_round):.3f}, max {max(per_round):.3f}]  goal ≤ {GOAL}"
    )
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
