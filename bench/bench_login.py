"""Logins per second through the hosted form, against raw Argon2id verifications per second.

A login is what a browser does: GET /login (a new session and its CSRF token), then POST /login
with the email, password and token (the throttling checks, the Argon2id verification, the new
session, the audit event) — against ``server.py serve`` in its own process (one process, SQLite
by default, ``--postgres`` for the local PostgreSQL), this process generating the load over
keep-alive connections, one account per connection.

Baseline, measured in the same run: the portal's own ``PasswordHasher`` with the same parameters
and concurrency (``hash_concurrency`` worker threads) verifying as fast as it can. A login cannot
beat its verification, so the ratio says how much the rest of a login costs. Goal: >= 0.85.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import time
import uuid
from urllib.parse import urlencode

from bench._support import (
    Connection,
    free_port,
    measure_rate,
    median,
    process_cpu_seconds,
    server_process,
    spread,
)

GOAL = 0.85
PASSWORD = "correct horse battery staple 42"  # noqa: S105 (the benchmark accounts')
CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')


async def _prepare(database_url: str, accounts: int) -> list[str]:
    from db import migrate
    from db.database import Database
    from domain.accounts.hashing import PasswordHasher
    from domain.enums import Role
    from identity.keys import ensure_signing_key
    from settings import Settings
    from tests.factories import add_member, create_organization, create_user

    settings = Settings(database_url=database_url)
    await migrate.upgrade(database_url)
    db = Database.from_url(database_url, pool_size=2)
    hasher = PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    password_hash = await hasher.hash(PASSWORD)
    emails = []
    try:
        async with db.unit_of_work() as session:
            await ensure_signing_key(session)
            organization = await create_organization(session)
            for n in range(accounts):
                user = await create_user(session, email=f"bench-{n}@example.test")
                user.password_hash = password_hash
                await add_member(session, user, organization, Role.USER)
                emails.append(user.email)
    finally:
        await db.dispose()
    return emails


class LoginWorker:
    def __init__(self, port: int, email: str, cookie_name: str) -> None:
        self.connection = Connection(port)
        self.email = email
        self.cookie_name = cookie_name

    async def step(self) -> None:
        form = await self.connection.request("GET", "/login")
        token = CSRF.search(form.body)
        cookie = form.cookies().get(self.cookie_name)
        if form.status != 200 or token is None or cookie is None:
            raise RuntimeError(f"no login form: {form.status}")
        body = urlencode(
            {"csrf_token": token.group(1).decode(), "email": self.email, "password": PASSWORD}
        ).encode()
        answer = await self.connection.request(
            "POST",
            "/login",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{self.cookie_name}={cookie}",
            },
            body,
        )
        if answer.status != 303 or self.cookie_name not in answer.cookies():
            raise RuntimeError(f"login failed: {answer.status} {answer.header('location')}")


async def _login_round(
    port: int, pid: int, emails: list[str], seconds: float
) -> tuple[float, float]:
    """(logins per second, server CPU seconds per login) over one window."""
    workers = [LoginWorker(port, email, "portal_session") for email in emails]
    before = process_cpu_seconds(pid)
    started = time.perf_counter()
    rate = await measure_rate([w.step for w in workers], seconds, warmup=1.0)
    cpu = process_cpu_seconds(pid) - before
    logins = rate * (time.perf_counter() - started)  # the warm-up's logins used CPU too: approx.
    for worker in workers:
        await worker.connection.close()
    return rate, cpu / max(logins, 1.0)


async def _verify_round(
    hasher: object, stored: str, callers: int, seconds: float
) -> tuple[float, float]:
    """(verifications per second, CPU seconds per verification) through the portal's hasher:
    its threads and its concurrency limit, more callers than threads as the server has."""

    async def verify() -> None:
        assert (await hasher.verify(stored, PASSWORD)).ok  # type: ignore[attr-defined]

    before = time.process_time()
    started = time.perf_counter()
    rate = await measure_rate([verify] * callers, seconds, warmup=0.5)
    verifications = rate * (time.perf_counter() - started)
    return rate, (time.process_time() - before) / max(verifications, 1.0)


async def _rounds(
    port: int, pid: int, emails: list[str], runs: int, seconds: float
) -> tuple[list[float], list[float], list[float], list[float], int]:
    """Alternate the baseline and the logins, so both see the same machine (others' load)."""
    from domain.accounts.hashing import PasswordHasher
    from settings import Settings

    settings = Settings()
    hasher = PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        concurrency=settings.hash_concurrency,
    )
    stored = await hasher.hash(PASSWORD)
    logins, login_cpu, verifies, verify_cpu = [], [], [], []
    for _ in range(runs):
        rate, cpu = await _verify_round(hasher, stored, settings.hash_concurrency * 4, seconds)
        verifies.append(rate)
        verify_cpu.append(cpu)
        rate, cpu = await _login_round(port, pid, emails, seconds)
        logins.append(rate)
        login_cpu.append(cpu)
    return logins, login_cpu, verifies, verify_cpu, settings.hash_concurrency


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs, seconds, accounts = (2, 3.0, 8) if quick else (3, 6.0, 8)
    directory = tempfile.mkdtemp(prefix="portal-bench-")
    postgres = "--postgres" in argv
    database_url = f"sqlite+aiosqlite:///{directory}/bench.db"
    admin_db = None
    if postgres:
        from tests.support.databases import ADMIN_URL, _admin_execute, _with_database

        admin_db = f"portal_bench_{uuid.uuid4().hex[:10]}"
        asyncio.run(_admin_execute(f'CREATE DATABASE "{admin_db}"'))
        database_url = _with_database(ADMIN_URL, admin_db)
    try:
        emails = asyncio.run(_prepare(database_url, accounts))
        port = free_port()
        env = {
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "PORTAL_LOG_LEVEL": "WARNING",
            "PORTAL_RATE_LIMIT_LOGIN_PER_ADDRESS": "1000000/hour",
        }
        with server_process(["server.py", "serve", "--port", str(port)], env, port) as pid:
            logins, login_cpu, verify, verify_cpu, threads = asyncio.run(
                _rounds(port, pid, emails, runs, seconds)
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if admin_db is not None:
            from tests.support.databases import _admin_execute

            asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{admin_db}" WITH (FORCE)'))
    engine = "PostgreSQL" if postgres else "SQLite"
    ratios = [login / base for login, base in zip(logins, verify, strict=True)]
    print(
        f"logins/s through the hosted form ({engine}, {accounts} browsers, {runs} x {seconds:.0f} s)"
    )
    print(f"  logins (GET + POST /login)     : {spread(logins)}")
    print(f"  raw Argon2id verifications     : {spread(verify)}   ({threads} threads)")
    print(f"  ratio per round                : {'  '.join(f'{r:.3f}' for r in ratios)}")
    ratio = median(ratios)
    print(f"  ratio logins/verifications     : {ratio:.3f}   goal: >= {GOAL} "
          f"({'met' if ratio >= GOAL else 'NOT met'})")  # fmt: skip
    # CPU time does not depend on what else runs on the machine: a second view of the same ratio.
    cpu_ratio = median(verify_cpu) / median(login_cpu)
    print(f"  CPU ms per login / per verify  : {median(login_cpu) * 1000:.1f} / "
          f"{median(verify_cpu) * 1000:.1f}   -> ratio {cpu_ratio:.3f}")  # fmt: skip
    return 0
