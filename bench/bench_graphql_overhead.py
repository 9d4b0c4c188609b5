"""Issue 6, benchmark 3: the cost of the GraphQL pipeline on the partner landing and on the
devices page.

    python -m bench graphql_overhead [--postgres] [--quick] [--fresh] [--runs=N] [--seconds=S]

One server process (``bench/_landing_app.py``: the portal plus a hand-written Starlette endpoint
that runs the same SQL and returns the same JSON) on a database with one partner and 60 customers
(``bench/seed_partners.py``); the first page (50 customers with name, location count, device
counts and license summary) asked through ``POST /graphql`` and through ``POST /bench/landing``,
in alternating runs by a load generator in its own process (wrk when installed). Before measuring,
both answers are checked to be the same bytes. Printed: requests per second of each (min, median,
max over the runs), the server's CPU time per request of each, and the ratios GraphQL ÷ plain
(time per request, a figure) and server CPU per request. The devices page likewise, on its own
database (60 devices, ``bench/seed_devices.py``), against ``POST /bench/devices``: the first 50
devices with their area and location. Verdict, for each page: the CPU ratio, goal ≤ 1.5 — the one
to trust on a shared machine: what else runs slows both rates, not the CPU each request costs.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
from typing import Any

import httpx

from bench._landing_app import DEVICES_QUERY, LANDING_QUERY
from bench._load import Post, alternating_runs, generator_name, pin, run_arguments
from bench._support import free_port, server_process, spread, uvicorn_args
from bench._targets import database_url, mint_token
from bench._verdict import verdict
from bench.seed_devices import BENCH_EMAIL as BENCH_DEVICES_EMAIL
from bench.seed_devices import seed as seed_devices
from bench.seed_partners import BENCH_PARTNER_EMAIL, seed_partner

GOAL = 1.5
CUSTOMERS = 60
DEVICES = 60
PAGE = 50


def _same_answer(port: int, graphql: Post, plain: Post, field: str) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        a = client.post(graphql.path, content=graphql.body, headers=graphql.headers)
        b = client.post(plain.path, content=plain.body, headers=plain.headers)
    if a.status_code != 200 or b.status_code != 200:
        raise SystemExit(
            f"graphql {a.status_code} {a.text[:300]}\nplain {b.status_code} {b.text[:300]}"
        )
    data = json.loads(a.content)["data"]
    edges = (data["landing"]["customers"] if field == "landing" else data["devices"])["edges"]
    if len(edges) != PAGE or a.content != b.content:
        raise SystemExit(f"the two answers differ:\n{a.text[:400]}\n{b.text[:400]}")


def _measure(
    args: Any, url: str, user_id: Any, query: str, plain_path: str, field: str
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Serve ``url`` on one pinned core; GraphQL and the plain endpoint in alternating runs."""
    port = free_port()
    token = asyncio.run(mint_token(url, user_id, f"http://127.0.0.1:{port}"))
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    body = json.dumps({"query": query, "variables": {"first": PAGE}}).encode()
    graphql = Post(port, "/graphql", body, headers)
    plain = Post(port, plain_path, body, headers)
    env = {
        "PORTAL_DATABASE_URL": url,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_OUTBOX_WORKERS": "0",
        # Nor webhook deliveries (their worker polls the database every second): not measured here.
        "PORTAL_WEBHOOK_WORKERS": "0",
    }
    app = uvicorn_args("bench._landing_app:create", port)
    with server_process(app, env, port, prefix=pin(0)) as pid:
        _same_answer(port, graphql, plain, field)
        return alternating_runs(
            pid,
            {"graphql": graphql, "plain": plain},
            runs=args.runs,
            seconds=args.seconds,
            connections=args.connections,
        )


def _report(title: str, rates: dict[str, list[float]], cpu: dict[str, list[float]]) -> float:
    print(title)
    print(f"  /graphql        req/s   {spread(rates['graphql'])}")
    print(f"  plain Starlette req/s   {spread(rates['plain'])}")
    print(f"  /graphql        CPU ms  {spread(cpu['graphql'])}")
    print(f"  plain Starlette CPU ms  {spread(cpu['plain'])}")
    per_run = [p / g for g, p in zip(rates["graphql"], rates["plain"], strict=True)]
    cpu_runs = [g / p for g, p in zip(cpu["graphql"], cpu["plain"], strict=True)]
    by_rate = statistics.median(rates["plain"]) / statistics.median(rates["graphql"])
    by_cpu = statistics.median(cpu["graphql"]) / statistics.median(cpu["plain"])
    print(
        f"  ratio GraphQL ÷ plain (time per request): {by_rate:.2f} "
        f"[per run min {min(per_run):.2f} median {statistics.median(per_run):.2f} "
        f"max {max(per_run):.2f}]"
    )
    print(
        f"  ratio GraphQL ÷ plain (server CPU per request): {by_cpu:.2f} "
        f"[per run min {min(cpu_runs):.2f} median {statistics.median(cpu_runs):.2f} "
        f"max {max(cpu_runs):.2f}]"
    )
    return by_cpu


def main(argv: list[str]) -> int:
    args = run_arguments(argv, "python -m bench graphql_overhead", fresh="seed the database again")
    engine = "PostgreSQL" if args.postgres else "SQLite"
    conditions = (
        f"{engine}, server on one core, {generator_name()}, {args.connections} connections, "
        f"{args.runs} x {args.seconds:.0f} s per side"
    )
    status = 0

    url = asyncio.run(database_url("overhead", postgres=args.postgres, fresh=args.fresh))
    seeded = asyncio.run(seed_partner(url, CUSTOMERS))
    rates, cpu = _measure(args, url, seeded.user_id, LANDING_QUERY, "/bench/landing", "landing")
    title = (
        f"partner landing, first {PAGE} of {CUSTOMERS} customers as {BENCH_PARTNER_EMAIL} "
        f"({conditions})"
    )
    by_cpu = _report(title, rates, cpu)
    status |= verdict(
        "graphql_overhead",
        "partner landing, server CPU GraphQL ÷ plain",
        by_cpu,
        GOAL,
        at_most=True,
        conditions=conditions,
        figures=f"{statistics.median(cpu['graphql']):.2f} vs {statistics.median(cpu['plain']):.2f} "
        "ms CPU per request",
    )

    url = asyncio.run(database_url("overhead_devices", postgres=args.postgres, fresh=args.fresh))
    devices = asyncio.run(seed_devices(url, DEVICES))
    rates, cpu = _measure(args, url, devices.user_id, DEVICES_QUERY, "/bench/devices", "devices")
    title = (
        f"devices page, first {PAGE} of {DEVICES} devices with area and location as "
        f"{BENCH_DEVICES_EMAIL} ({conditions})"
    )
    by_cpu = _report(title, rates, cpu)
    status |= verdict(
        "graphql_overhead",
        "devices page, server CPU GraphQL ÷ plain",
        by_cpu,
        GOAL,
        at_most=True,
        conditions=conditions,
        figures=f"{statistics.median(cpu['graphql']):.2f} vs {statistics.median(cpu['plain']):.2f} "
        "ms CPU per request",
    )
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
