"""The web console's devices page against the same GraphQL query sent straight to /graphql.

    python -m bench console [--postgres] [--quick] [--fresh] [--runs=N] [--seconds=S]

One ``server.py``-style process (``uvicorn --factory server:create_app``: the API, the provider
and the console at ``/``) on a database with one customer and 60 devices
(``bench/seed_devices.py``). The bench user gets a password and signs in to the console the way a
browser does (``/`` → the provider's login form → ``/console/callback``); then, in alternating
runs by keep-alive clients in this process:

* ``GET /devices?size=50`` with the console's cookie: the page with 50 rows (the backend for
  frontend calls /graphql in-process with the session's token and renders the template);
* ``POST /graphql`` with the very operation the page sends (``console/queries/devices.graphql``'s
  ``Devices``, first 50) and a bearer token of the same user.

Before measuring, the page is checked to hold 50 rows and the API answer 50 edges. Printed:
requests per second of each (min, median, max over the runs), the server's CPU time per request
of each, and the ratios page ÷ API (time per request; goal ≤ 1.5). Exit status 1 when both
ratios miss the goal (the CPU ratio is the one to trust on a shared machine).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    Visitor,
    parse,
    print_ast,
    visit,
)
from sqlalchemy import update

from bench._console_login import sign_in
from bench._load import run_arguments
from bench._support import free_port, process_cpu_seconds, server_process, spread, uvicorn_args
from bench._targets import database_url, mint_token
from bench.seed_devices import BENCH_EMAIL, seed
from db.database import Database
from db.models import User
from domain.accounts.hashing import PasswordHasher
from domain.enums import UserStatus

GOAL = 1.5
DEVICES = 60
PAGE = 50
PASSWORD = "bench console passphrase 2026"  # noqa: S105 (a loopback bench account)
QUERIES = Path(__file__).resolve().parent.parent / "console" / "queries"


def devices_operation() -> str:
    """The console's ``Devices`` operation, as written in console/queries/devices.graphql, with
    the fragments it spreads (as the generated client sends it)."""
    definitions = [
        d
        for path in sorted(QUERIES.glob("*.graphql"))
        for d in parse(path.read_text(encoding="utf-8")).definitions
    ]
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    (operation,) = [
        d
        for d in definitions
        if isinstance(d, OperationDefinitionNode) and d.name and d.name.value == "Devices"
    ]
    wanted: dict[str, FragmentDefinitionNode] = {}

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
            if node.name.value not in wanted:
                wanted[node.name.value] = fragments[node.name.value]
                visit(fragments[node.name.value], self)

    visit(operation, Spreads())
    return "\n\n".join(print_ast(d) for d in [operation, *wanted.values()])


async def _give_password(url: str) -> None:
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.unit_of_work() as session:
            await session.execute(
                update(User)
                .where(User.email == BENCH_EMAIL)
                .values(
                    password_hash=PasswordHasher().hash_blocking(PASSWORD),
                    status=UserStatus.ACTIVE,
                    login_failures=0,
                )
            )
    finally:
        await db.dispose()


def _sign_in(base: str) -> httpx.Cookies:
    return sign_in(base, BENCH_EMAIL, PASSWORD)


async def _rate(make: Callable[[httpx.AsyncClient], object], base: str, seconds: float,
                connections: int, cookies: httpx.Cookies | None) -> float:  # fmt: skip
    """Completed requests per second with ``connections`` keep-alive clients."""
    count = 0
    stop = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal count
        async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as client:
            while time.monotonic() < stop:
                response = await make(client)  # type: ignore[misc]
                if response.status_code != 200:
                    raise SystemExit(f"{response.request.url}: {response.status_code}")
                count += 1

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return count / (time.monotonic() - started)


def main(argv: list[str]) -> int:
    args = run_arguments(argv, "python -m bench console", fresh="seed the database again")
    url = asyncio.run(database_url("console", postgres=args.postgres, fresh=args.fresh))
    seeded = asyncio.run(seed(url, DEVICES))
    asyncio.run(_give_password(url))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    token = asyncio.run(mint_token(url, seeded.user_id, base))
    body = {"query": devices_operation(), "operationName": "Devices", "variables": {"first": PAGE}}
    api_headers = {"Authorization": f"Bearer {token}"}
    env = {
        "PORTAL_DATABASE_URL": url,
        "PORTAL_PUBLIC_URL": base,
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_OUTBOX_WORKERS": "0",
        # Nor webhook deliveries (their worker polls the database every second): not measured here.
        "PORTAL_WEBHOOK_WORKERS": "0",
    }

    def page(client: httpx.AsyncClient) -> object:
        return client.get(f"/devices?size={PAGE}")

    def api(client: httpx.AsyncClient) -> object:
        return client.post("/graphql", json=body, headers=api_headers)

    with server_process(uvicorn_args("server:create_app", port), env, port) as pid:
        cookies = _sign_in(base)
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            shown = client.get(f"/devices?size={PAGE}")
            answer = client.post("/graphql", json=body, headers=api_headers).json()
        rows = shown.text.count('<a href="/devices/') if shown.status_code == 200 else 0
        working = ((answer.get("data") or {}).get("viewer") or {}).get("working") or {}
        edges = len((working.get("devices") or {}).get("edges", []))
        if rows != PAGE or edges != PAGE:
            raise SystemExit(f"page rows {rows}, API edges {edges}: expected {PAGE} each")
        sides = {"page": (page, cookies), "api": (api, None)}
        rates: dict[str, list[float]] = {name: [] for name in sides}
        cpu: dict[str, list[float]] = {name: [] for name in sides}
        for make, jar in sides.values():  # warm up: caches, pools, the database's pages
            asyncio.run(_rate(make, base, 1.0, args.connections, jar))
        for number in range(args.runs):
            order = list(sides.items())
            for name, (make, jar) in order if number % 2 == 0 else reversed(order):
                before = process_cpu_seconds(pid)
                rate = asyncio.run(_rate(make, base, args.seconds, args.connections, jar))
                used = process_cpu_seconds(pid) - before
                rates[name].append(rate)
                cpu[name].append(used * 1000 / max(rate * args.seconds, 1.0))

    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"console devices page ({PAGE} of {DEVICES} devices) vs the same query on /graphql "
        f"({engine}; Python keep-alive clients, {args.connections} connections, "
        f"{args.runs} x {args.seconds:.0f} s per side)"
    )
    print(f"  GET /devices    req/s   {spread(rates['page'])}")
    print(f"  POST /graphql   req/s   {spread(rates['api'])}")
    print(f"  GET /devices    CPU ms  {spread(cpu['page'])}")
    print(f"  POST /graphql   CPU ms  {spread(cpu['api'])}")
    per_run = [a / p for p, a in zip(rates["page"], rates["api"], strict=True)]
    cpu_runs = [p / a for p, a in zip(cpu["page"], cpu["api"], strict=True)]
    by_rate = statistics.median(rates["api"]) / statistics.median(rates["page"])
    by_cpu = statistics.median(cpu["page"]) / statistics.median(cpu["api"])
    print(
        f"  ratio page ÷ API (time per request): {by_rate:.2f} "
        f"[per run min {min(per_run):.2f} median {statistics.median(per_run):.2f} "
        f"max {max(per_run):.2f}]"
    )
    print(
        f"  ratio page ÷ API (server CPU per request): {by_cpu:.2f} "
        f"[per run min {min(cpu_runs):.2f} median {statistics.median(cpu_runs):.2f} "
        f"max {max(cpu_runs):.2f}]   goal ≤ {GOAL}"
    )
    verdict = min(by_rate, by_cpu) <= GOAL
    print(f"  verdict: {'met' if verdict else 'MISSED'} (goal ≤ {GOAL})")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
