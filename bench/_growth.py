"""What the growth benchmarks share (bench_devices, bench_partner_landing): the same first page
asked of a small and a large database, each served by its own ``server.py serve`` process (pinned
to CPU 0 when possible), one request at a time over keep-alive HTTP from this process, rounds
alternating between the two servers so that drift hits both alike. Reported: the median latency
of each round (min/median/max over rounds), requests per second, the server's CPU time per
request, and the ratios of the medians large ÷ small (latency: the goal; CPU: a second view that
other jobs on a shared machine cannot skew).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from bench._load import pin
from bench._support import ROOT, free_port, process_cpu_seconds
from bench._targets import database_url, mint_token
from bench._verdict import verdict as _verdict


@dataclass
class Target:
    size: int
    url: str
    unit: str
    port: int = 0
    token: str = ""
    process: subprocess.Popen[bytes] | None = None
    latencies: list[float] = field(default_factory=list)  # the median of each round, seconds
    rates: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # server CPU seconds per request, each round

    @property
    def label(self) -> str:
        return f"{self.size:>9,} {self.unit}"


# Asks one first page and checks the answer (raises SystemExit when it is wrong).
Ask = Callable[[httpx.Client, Target], None]
# Seeds the database at the URL to the size (a fresh seed, or one made before) and returns the
# bench user's id.
Seed = Callable[[str, int], Awaitable[uuid.UUID]]


def arguments(
    argv: list[str],
    prog: str,
    *,
    unit: str,
    small: int,
    large: int,
    requests: int,
    quick: tuple[int, int],
) -> argparse.Namespace:
    """The growth benchmarks' options; ``--quick`` (what ``make bench`` runs) asks the sizes
    ``quick`` in 5 rounds of 40 requests."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--quick", action="store_true", help=f"{quick[0]:,} ÷ {quick[1]:,} {unit}, 5 rounds"
    )
    parser.add_argument("--fresh", action="store_true", help="seed the databases again")
    parser.add_argument("--small", type=int, default=small)
    parser.add_argument("--large", type=int, default=large)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=requests)
    args = parser.parse_args(argv)
    if args.quick:
        args.small, args.large, args.rounds, args.requests = *quick, 5, 40
    return args


async def seeded_targets(
    args: argparse.Namespace, *, database: str, unit: str, seed: Seed
) -> list[Target]:
    """The small and the large database (``<database>_<size>``, bench/_targets.py), seeded, each
    with a port for its server and a token for its bench user."""
    targets = []
    users = []
    for size in (args.small, args.large):
        url = await database_url(f"{database}_{size}", postgres=args.postgres, fresh=args.fresh)
        print(f"seeding {size:,} {unit} ({make_url(url).get_backend_name()}) …", flush=True)
        users.append(await seed(url, size))
        targets.append(Target(size=size, url=url, unit=unit, port=free_port()))
    # Tokens last minutes: mint them once every database is ready.
    for target, user_id in zip(targets, users, strict=True):
        target.token = await mint_token(target.url, user_id, f"http://127.0.0.1:{target.port}")
    return targets


def verdict(name: str, args: argparse.Namespace, unit: str, ratio: float, goal: float) -> int:
    """Print whether the ratio meets the goal for the sizes measured (quick mode says it checked
    its own sizes, not the full-size goal); the exit status."""
    sizes = f"{args.large:,} ÷ {args.small:,} {unit}"
    if args.quick:
        print(f"quick mode: sizes {sizes}, not the full-size goal (make bench-growth)")
    engine = "PostgreSQL" if args.postgres else "SQLite"
    return _verdict(
        name,
        f"median latency {sizes}",
        ratio,
        goal,
        at_most=True,
        conditions=f"{engine}, {args.rounds} rounds of {args.requests} requests"
        + (", quick" if args.quick else ""),
    )


def graphql(client: httpx.Client, target: Target, query: str, variables: dict[str, Any]) -> Any:
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {target.token}"},
    )
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise SystemExit(f"{target.label}: {response.status_code} {body}")
    return body["data"]


def _start(target: Target) -> None:
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": target.url,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{target.port}",
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_OUTBOX_WORKERS": "0",
        # Nor webhook deliveries (their worker polls the database every second): not measured here.
        "PORTAL_WEBHOOK_WORKERS": "0",
        "PORTAL_MAIL_DIR": str(ROOT / "var" / "bench" / "mail"),
    }
    target.process = subprocess.Popen(
        [*pin(0), sys.executable, "server.py", "serve", "--port", str(target.port)],
        cwd=ROOT,
        env=env,
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


@contextlib.contextmanager
def serving(targets: list[Target]) -> Iterator[None]:
    try:
        for target in targets:
            _start(target)
        yield
    finally:
        for target in targets:
            _stop(target)


def _round(client: httpx.Client, target: Target, ask: Ask, requests: int) -> None:
    assert target.process is not None
    times = []
    cpu_before = process_cpu_seconds(target.process.pid)
    started = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        ask(client, target)
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    target.latencies.append(statistics.median(times))
    target.rates.append(requests / elapsed)
    target.cpu.append((process_cpu_seconds(target.process.pid) - cpu_before) / requests)


def _spread(values: list[float], scale: float, unit: str) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"min {low * scale:8.2f}  median {mid * scale:8.2f}  max {high * scale:8.2f} {unit}"


def compare(small: Target, large: Target, ask: Ask, *, rounds: int, requests: int) -> float:
    """Serve both, measure in alternating rounds, print, and return the ratio large ÷ small."""
    targets = [small, large]
    with serving(targets):
        clients = {
            id(t): httpx.Client(base_url=f"http://127.0.0.1:{t.port}", timeout=60) for t in targets
        }
        try:
            for target in targets:  # warm up: connections, caches, the databases' pages
                for _ in range(max(20, requests // 5)):
                    ask(clients[id(target)], target)
            for number in range(rounds):
                for target in targets if number % 2 == 0 else list(reversed(targets)):
                    _round(clients[id(target)], target, ask, requests)
        finally:
            for client in clients.values():
                client.close()
    for target in targets:
        print(f"{target.label}: latency {_spread(target.latencies, 1e3, 'ms')}")
        print(f"{'':>{len(target.label)}}  rate    {_spread(target.rates, 1.0, 'req/s')}")
        print(f"{'':>{len(target.label)}}  CPU     {_spread(target.cpu, 1e3, 'ms/req')}")
    ratio = statistics.median(large.latencies) / statistics.median(small.latencies)
    per_round = [b / a for a, b in zip(small.latencies, large.latencies, strict=True)]
    print(
        f"ratio {large.size:,} ÷ {small.size:,} {large.unit} (median latency): {ratio:.3f}  "
        f"[per round: min {min(per_round):.3f}, median {statistics.median(per_round):.3f}, "
        f"max {max(per_round):.3f}]"
    )
    cpu_ratio = statistics.median(large.cpu) / statistics.median(small.cpu)
    print(
        f"ratio of the server's CPU per request: {cpu_ratio:.3f} (robust to other load; with "
        "SQLite it includes the database's work, with PostgreSQL only the server's)"
    )
    return ratio
