"""A load generator in its own process: ``wrk`` (Debian's package) when installed, else this
process with the keep-alive client of bench/_support.py. Processes are pinned to CPUs with
``taskset`` when the machine has more than one (server on CPU 0, load generator on CPU 1), so
the two do not trade places on one core between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from bench._support import Connection, measure_rate, process_cpu_seconds

# The CPUs this process may use when the benchmark starts. Read once: the login and refresh
# benchmarks then narrow their own process to the load's CPU, and a ``pin(0)`` asked after that
# must still name the server's CPU — read afresh, it saw one CPU, pinned nothing, and the server
# inherited the load generator's core.
_CPUS = sorted(os.sched_getaffinity(0))


def cpus() -> int:
    return len(_CPUS)


def pin(cpu: int) -> list[str]:
    """A ``taskset`` prefix for a command line (empty when pinning is not possible)."""
    if cpus() < 2 or shutil.which("taskset") is None:
        return []
    return ["taskset", "-c", str(_CPUS[cpu % cpus()])]


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


@dataclass(frozen=True)
class Post:
    port: int
    path: str
    body: bytes
    headers: dict[str, str]


def _lua(request: Post) -> str:
    def quote(text: str) -> str:
        return "[==[" + text + "]==]"

    lines = ['wrk.method = "POST"', f"wrk.body = {quote(request.body.decode())}"]
    lines += [f"wrk.headers[ {quote(k)} ] = {quote(v)}" for k, v in request.headers.items()]
    # Count answers that are not 200: a benchmark of error pages would be meaningless.
    lines += [
        "local bad = 0",
        "response = function(status, headers, body) if status ~= 200 then bad = bad + 1 end end",
        'done = function(summary, latency, requests) io.write("bad " .. bad .. "\\n") end',
    ]
    return "\n".join(lines) + "\n"


def _wrk(request: Post, seconds: float, connections: int) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(request))
    try:
        command = [
            *pin(1),
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "-s",
            script.name,
            f"http://127.0.0.1:{request.port}{request.path}",
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    bad = re.search(r"^bad (\d+)", out, re.MULTILINE)
    if bad is None or int(bad.group(1)):
        raise RuntimeError(f"wrk saw failed requests:\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{out}")
    return float(rate.group(1))


async def _python(request: Post, seconds: float, connections: int) -> float:
    workers = [Connection(request.port) for _ in range(connections)]

    def step(connection: Connection):  # type: ignore[no-untyped-def]
        async def run() -> None:
            reply = await connection.request("POST", request.path, request.headers, request.body)
            if reply.status != 200:
                raise RuntimeError(f"{request.path}: {reply.status} {reply.body[:200]!r}")

        return run

    try:
        return await measure_rate([step(c) for c in workers], seconds)
    finally:
        for connection in workers:
            await connection.close()


def requests_per_second(request: Post, seconds: float, connections: int) -> float:
    """Completed requests per second over ``seconds`` with ``connections`` keep-alive clients."""
    if have_wrk():
        return _wrk(request, seconds, connections)
    return asyncio.run(_python(request, seconds, connections))


def cpu_per_request(
    pid: int, request: Post, seconds: float, connections: int
) -> tuple[float, float]:
    """(requests per second, server ``pid``'s CPU milliseconds per request) of one run."""
    before = process_cpu_seconds(pid)
    rate = requests_per_second(request, seconds, connections)
    used = process_cpu_seconds(pid) - before
    return rate, used * 1000 / max(rate * seconds, 1.0)


def run_arguments(argv: list[str], prog: str, *, fresh: str | None = None) -> argparse.Namespace:
    """The options of a benchmark made of ``alternating_runs``; ``fresh``: the help of a
    ``--fresh`` option, for one that keeps its database between invocations."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--quick", action="store_true", help="3 runs of 2 s")
    if fresh is not None:
        parser.add_argument("--fresh", action="store_true", help=fresh)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.seconds = 3, 2.0
    return args


def alternating_runs(
    pid: int, requests: dict[str, Post], *, runs: int, seconds: float, connections: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each request warmed up for a second (caches, pools, the database's pages), then ``runs``
    rounds asking each in turn, the order reversed every other round: the requests per second and
    the server's CPU milliseconds per request of every run, by name."""
    rates: dict[str, list[float]] = {name: [] for name in requests}
    cpu: dict[str, list[float]] = {name: [] for name in requests}
    for request in requests.values():
        requests_per_second(request, 1.0, connections)
    for number in range(runs):
        order = list(requests.items())
        for name, request in order if number % 2 == 0 else reversed(order):
            rate, ms = cpu_per_request(pid, request, seconds, connections)
            rates[name].append(rate)
            cpu[name].append(ms)
    return rates, cpu


def generator_name() -> str:
    return "wrk" if have_wrk() else "Python (bench/_support.py)"
