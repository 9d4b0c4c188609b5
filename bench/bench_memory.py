"""Issue 6, benchmark 6: the resident memory (RSS) of one server process, idle and under 64
concurrent logins through the hosted form.

    python -m bench memory [--postgres] [--quick] [--concurrency=N] [--seconds=S]

Each Argon2id computation holds ``argon2_memory_kib`` (19 MiB) while it runs; the server runs at
most ``hash_concurrency`` (2) at once and queues the rest, so 64 browsers logging in at the same
time cost two hashes' memory, not 64 — and, besides the hashes, at most ``PER_BROWSER_KIB``
(128 KiB) per browser for everything else their logins hold: connections, requests and sessions in
flight, and what the first logins put in the process's caches (measured: about 90 KiB per
browser). Two hashes alone are exactly two hashes' memory, so a bound of two hashes and nothing
else could not hold while a single request is in flight; the bound says what the rest may cost.

Measured: ``server.py serve`` in its own process, its RSS read from /proc after start-up (idle)
and every 20 ms while this process keeps 64 keep-alive browsers logging in (bench_login's worker:
the whole OIDC code + PKCE login). For contrast, the same with the bound lifted
(``PORTAL_HASH_CONCURRENCY=64``: the hasher's own pool of 64 threads, so 64 hashes really can run
at once). Printed: idle, median and peak RSS under load, the ratio peak ÷ idle, and the growth
against what the bound allows. Verdict: the bounded growth (peak - idle) is at most
``hash_concurrency`` hashes' memory plus ``PER_BROWSER_KIB`` per browser, in MiB; and the
unbounded contrast grows by more than ``hash_concurrency + 1`` hashes' memory (else the run showed
nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import threading
import time
import uuid

from bench._load import pin
from bench._support import free_port, server_process
from bench._verdict import verdict
from bench.bench_login import LoginWorker, _prepare

MIB = 1024 * 1024
# What a browser's login may hold besides the hash (module docstring).
PER_BROWSER_KIB = 128


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


class Sampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[int] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append(rss_bytes(self.pid))
            time.sleep(self.every)

    def stop(self) -> list[int]:
        self._halt.set()
        self.join()
        return self.samples


async def _load(port: int, prepared: tuple[list[str], str, str], seconds: float) -> int:
    emails, client_id, secret = prepared
    workers = [LoginWorker(port, email, client_id, secret) for email in emails]
    done = 0
    stop = False

    async def loop(worker: LoginWorker) -> None:
        nonlocal done
        while not stop:
            await worker.step()
            done += 1

    tasks = [asyncio.create_task(loop(w)) for w in workers]
    await asyncio.sleep(seconds)
    stop = True
    await asyncio.gather(*tasks)
    for worker in workers:
        await worker.connection.close()
    return done


def _measure(
    database_url: str,
    prepared: tuple[list[str], str, str],
    seconds: float,
    hash_concurrency: int,
) -> tuple[int, list[int], int]:
    """(idle RSS, RSS samples under load, logins done)."""
    port = free_port()
    env = {
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_OUTBOX_WORKERS": "0",
        # Nor webhook deliveries (their worker polls the database every second): not measured here.
        "PORTAL_WEBHOOK_WORKERS": "0",
        "PORTAL_RATE_LIMIT_LOGIN_PER_ADDRESS": "1000000/hour",
    }
    env["PORTAL_HASH_CONCURRENCY"] = str(hash_concurrency)
    args = ["server.py", "serve", "--port", str(port)]
    with server_process(args, env, port, prefix=pin(0)) as pid:
        time.sleep(2.0)  # start-up done: the lifespan, the first connections
        idle = rss_bytes(pid)
        sampler = Sampler(pid)
        sampler.start()
        try:
            logins = asyncio.run(_load(port, prepared, seconds))
        finally:
            samples = sampler.stop()
    return idle, samples, logins


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench memory")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--quick", action="store_true", help="6 s of load instead of 15")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds = 6.0
    from settings import Settings

    defaults = Settings()
    directory = tempfile.mkdtemp(prefix="portal-bench-")
    database_url = f"sqlite+aiosqlite:///{directory}/bench.db"
    admin_db = None
    if args.postgres:
        from tests.support.databases import ADMIN_URL, _admin_execute, _with_database

        admin_db = f"portal_bench_{uuid.uuid4().hex[:10]}"
        asyncio.run(_admin_execute(f'CREATE DATABASE "{admin_db}"'))
        database_url = _with_database(ADMIN_URL, admin_db)
    try:
        prepared = asyncio.run(_prepare(database_url, args.concurrency))
        # The unpinned default (2): pinned to one core the server would choose 1 by itself.
        bounded = _measure(database_url, prepared, args.seconds, defaults.hash_concurrency)
        unbounded = _measure(database_url, prepared, args.seconds, args.concurrency)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if admin_db is not None:
            from tests.support.databases import _admin_execute

            asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{admin_db}" WITH (FORCE)'))

    engine = "PostgreSQL" if args.postgres else "SQLite"
    per_hash = defaults.argon2_memory_kib * 1024
    print(
        f"RSS of one server process ({engine}), idle and under {args.concurrency} concurrent "
        f"logins for {args.seconds:.0f} s (Argon2id {defaults.argon2_memory_kib // 1024} MiB "
        "per hash)"
    )
    status = 0
    for label, limit, (idle, samples, logins) in (
        (f"hash_concurrency={defaults.hash_concurrency} (default)", defaults.hash_concurrency,
         bounded),
        (f"hash_concurrency={args.concurrency} (unbounded)", args.concurrency, unbounded),
    ):  # fmt: skip
        peak, typical = max(samples), statistics.median(samples)
        print(f"  {label}: {logins} logins")
        print(
            f"    idle {idle / MIB:7.1f} MiB   under load: median {typical / MIB:7.1f} MiB, "
            f"peak {peak / MIB:7.1f} MiB   ratio peak ÷ idle {peak / idle:.2f}"
        )
        print(
            f"    growth {(peak - idle) / MIB:6.1f} MiB = {(peak - idle) / per_hash:.1f} hashes' "
            f"memory (at most {limit} hashes at once)"
        )
    bound = defaults.hash_concurrency
    allowed = bound * per_hash + args.concurrency * PER_BROWSER_KIB * 1024
    bounded_growth = max(bounded[1]) - bounded[0]
    unbounded_hashes = (max(unbounded[1]) - unbounded[0]) / per_hash
    conditions = f"{engine}, {args.concurrency} browsers, {args.seconds:.0f} s, server on one core"
    print(
        f"  the bound: {bound} hashes ({bound * per_hash / MIB:.1f} MiB) + {args.concurrency} "
        f"browsers x {PER_BROWSER_KIB} KiB = {allowed / MIB:.1f} MiB; besides the hashes the "
        f"bounded run grew {(bounded_growth - bound * per_hash) / 1024 / args.concurrency:.0f} "
        "KiB per browser"
    )
    status |= verdict(
        "memory",
        "bounded growth, MiB",
        bounded_growth / MIB,
        allowed / MIB,
        at_most=True,
        conditions=conditions,
        # The figures docs/PRODUCTION.md points to (generated tables, never typed by hand).
        figures=(
            f"idle {bounded[0] / MIB:.1f} MiB, peak {max(bounded[1]) / MIB:.1f} MiB, "
            f"median {statistics.median(bounded[1]) / MIB:.1f} MiB under load: "
            f"{bounded_growth / per_hash:.2f} hashes' memory; "
            f"unbounded contrast grew {unbounded_hashes:.1f} hashes' memory"
        ),
    )
    status |= verdict(
        "memory (contrast)",
        "unbounded growth in hashes' memory",
        unbounded_hashes,
        bound + 1,
        conditions=conditions,
    )
    return status


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
