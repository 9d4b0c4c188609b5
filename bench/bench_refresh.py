"""Refresh grants per second, the portal pinned to one core, against a plain Starlette endpoint.

The portal runs as ``server.py serve`` (one process pinned to CPU 0; SQLite by default,
``--postgres`` for the local PostgreSQL); this process, pinned to CPU 1, is the load generator: a
number of keep-alive connections, each rotating its own refresh-token family as fast as the server
answers (every request is a full refresh grant: client authentication, the token looked up by hash
and rotated out, the user checked, a new refresh token stored, the RS256 access token signed,
one transaction). Calibration: a plain Starlette endpoint served by uvicorn pinned the same way,
asked in alternating rounds. Verdict: the portal's wall-clock refresh grants/s (median of the
rounds), goal ≥ 1,250 on SQLite and ≥ 700 on PostgreSQL — wall clock, because on PostgreSQL the
database's CPU is part of the cost (printed: how many cores of CPU PostgreSQL's processes used).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from bench._load import pin
from bench._support import (
    Connection,
    free_port,
    measure_rate,
    median,
    process_cpu_seconds,
    server_process,
    spread,
)
from bench._verdict import verdict

GOAL = {False: 1250.0, True: 700.0}  # by --postgres


async def _prepare(database_url: str, families: int) -> tuple[str, str, list[str]]:
    """Schema, a user in an organization, a confidential client and ``families`` refresh tokens
    (written directly: the benchmark is about the refresh grant, not about logging in)."""
    from db import migrate
    from db.database import Database
    from db.models import OAuthGrant, RefreshToken
    from domain.enums import Role
    from identity.keys import ensure_signing_key
    from identity.oauth.clients import create_client
    from kit.clock import utcnow
    from kit.crypto import new_token, sha256_hex
    from tests.factories import add_member, create_organization, create_user

    await migrate.upgrade(database_url)
    db = Database.from_url(database_url, pool_size=2)
    try:
        async with db.unit_of_work() as session:
            await ensure_signing_key(session)
            organization = await create_organization(session)
            user = await create_user(session)
            await add_member(session, user, organization, Role.USER)
        client = await create_client(db, name="Bench", redirect_uris=["http://127.0.0.1:9/cb"])
        assert client.client_secret is not None
        tokens = []
        now = utcnow()
        async with db.unit_of_work() as session:
            for _ in range(families):
                grant_id = uuid.uuid4()
                token = new_token()
                session.add(
                    OAuthGrant(
                        id=grant_id,
                        client_id=client.client_id,
                        user_id=user.id,
                        scope="openid email offline_access",
                        auth_time=now,
                        security_stamp=user.security_stamp,
                        expires_at=now + timedelta(days=1),
                    )
                )
                session.add(
                    RefreshToken(
                        token_hash=sha256_hex(token),
                        family_id=grant_id,
                        client_id=client.client_id,
                        user_id=user.id,
                        scope="openid email offline_access",
                        auth_time=now,
                        expires_at=now + timedelta(days=1),
                    )
                )
                tokens.append(token)
        return client.client_id, client.client_secret, tokens
    finally:
        await db.dispose()


class RefreshWorker:
    def __init__(self, port: int, authorization: str, token: str, path: str) -> None:
        self.connection = Connection(port)
        self.headers = {
            "Authorization": authorization,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        self.token = token
        self.path = path
        self.portal = path == "/oauth/token" and token != ""

    async def step(self) -> None:
        body = urlencode({"grant_type": "refresh_token", "refresh_token": self.token}).encode()
        reply = await self.connection.request("POST", self.path, self.headers, body)
        if reply.status != 200:
            raise RuntimeError(f"refresh failed: {reply.status} {reply.body[:300]!r}")
        if self.portal:
            self.token = json.loads(reply.body)["refresh_token"]


def _postgres_cpu_seconds() -> float:
    """CPU seconds used so far by every process named ``postgres`` (the server and backends)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as comm:
                if comm.read().strip() != "postgres":
                    continue
            total += process_cpu_seconds(int(entry))
        except OSError:  # gone meanwhile
            continue
    return total


@dataclass
class Side:
    pid: int
    workers: list[RefreshWorker]
    rates: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    database_cores: list[float] = field(default_factory=list)


async def _round(side: Side, seconds: float) -> None:
    """One window: requests per second, server CPU seconds per request, PostgreSQL's cores."""
    before, database_before = process_cpu_seconds(side.pid), _postgres_cpu_seconds()
    started = time.perf_counter()
    rate = await measure_rate([w.step for w in side.workers], seconds)
    elapsed = time.perf_counter() - started
    used = process_cpu_seconds(side.pid) - before
    side.rates.append(rate)
    # The warm-up's requests used CPU too: count them at the measured rate (approximate).
    side.cpu.append(used / max(rate * elapsed, 1.0))
    side.database_cores.append((_postgres_cpu_seconds() - database_before) / elapsed)
    for worker in side.workers:  # idle connections are closed by the server meanwhile
        await worker.connection.close()


async def _alternate(portal: Side, plain: Side, runs: int, seconds: float) -> None:
    for number in range(runs):
        for side in (portal, plain) if number % 2 == 0 else (plain, portal):
            await _round(side, seconds)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs, seconds, concurrency = (4, 2.0, 8) if quick else (6, 5.0, 16)
    directory = tempfile.mkdtemp(prefix="portal-bench-")
    postgres = "--postgres" in argv
    database_url = f"sqlite+aiosqlite:///{directory}/bench.db"
    admin_db = None
    if postgres:
        from tests.support.databases import ADMIN_URL, _admin_execute, _with_database

        admin_db = f"portal_bench_{uuid.uuid4().hex[:10]}"
        asyncio.run(_admin_execute(f'CREATE DATABASE "{admin_db}"'))
        database_url = _with_database(ADMIN_URL, admin_db)
    load_cpu = pin(1)
    if load_cpu:
        os.sched_setaffinity(0, {int(load_cpu[-1])})
    try:
        # The warm-up rounds' families too: every round rotates each family on.
        client_id, secret, tokens = asyncio.run(_prepare(database_url, concurrency))
        authorization = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        portal_port, plain_port = free_port(), free_port()
        env = {
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{portal_port}",
            "PORTAL_LOG_LEVEL": "WARNING",
            "PORTAL_OUTBOX_WORKERS": "0",
            # Nor webhook deliveries (their worker polls the database every second): not measured here.
            "PORTAL_WEBHOOK_WORKERS": "0",
        }
        plain_args = [
            "-m", "uvicorn", "bench._plain_app:app", "--port", str(plain_port),
            "--log-level", "warning", "--no-access-log", "--no-server-header",
        ]  # fmt: skip
        portal_server = server_process(
            ["server.py", "serve", "--port", str(portal_port)], env, portal_port, prefix=pin(0)
        )
        plain_server = server_process(plain_args, {}, plain_port, prefix=pin(0))
        with portal_server as portal_pid, plain_server as plain_pid:
            portal = Side(
                portal_pid,
                [RefreshWorker(portal_port, authorization, t, "/oauth/token") for t in tokens],
            )
            plain = Side(
                plain_pid,
                [RefreshWorker(plain_port, authorization, "", "/oauth/token") for _ in tokens],
            )
            asyncio.run(_alternate(portal, plain, runs, seconds))
    finally:
        if load_cpu:
            os.sched_setaffinity(0, range(os.cpu_count() or 1))
        shutil.rmtree(directory, ignore_errors=True)
        if admin_db is not None:
            from tests.support.databases import _admin_execute

            asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{admin_db}" WITH (FORCE)'))
    engine = "PostgreSQL" if postgres else "SQLite"
    conditions = (
        f"{engine}, server pinned to CPU 0, load on CPU 1, {concurrency} connections, "
        f"{runs} alternating rounds x {seconds:.0f} s"
    )
    print(f"refresh grants/s ({conditions})")
    print(f"  portal /oauth/token : {spread(portal.rates)}")
    print(f"  plain Starlette     : {spread(plain.rates)}")
    print(f"  ratio portal/plain  : {median(portal.rates) / median(plain.rates):.3f}")
    print(f"  server CPU per request: portal {median(portal.cpu) * 1000:.2f} ms, plain "
          f"{median(plain.cpu) * 1000:.3f} ms")  # fmt: skip
    cores = median(portal.database_cores)
    if postgres:
        print(f"  PostgreSQL's processes used {cores:.2f} cores during the portal's rounds")
    return verdict(
        "refresh",
        "refresh grants/s, wall clock",
        median(portal.rates),
        GOAL[postgres],
        conditions=conditions,
        figures=f"{median(portal.cpu) * 1000:.2f} ms server CPU per grant"
        + (f"; PostgreSQL used {cores:.2f} cores" if postgres else ""),
    )
