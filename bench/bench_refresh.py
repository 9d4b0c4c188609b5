"""Refresh grants per second, one server process, against a plain Starlette endpoint.

The portal runs as ``server.py serve`` (one process, SQLite by default, ``--postgres`` for the
local PostgreSQL) in its own process; this process is the load generator: a number of
keep-alive connections, each rotating its own refresh-token family as fast as the server answers
(every request is a full refresh grant: client authentication, the token looked up by hash and
rotated out, the user checked, a new refresh token stored, an RS256 access token signed, one
transaction). Calibration, measured in the same run with the same load generator: a plain
Starlette endpoint served by uvicorn the same way. Prints min/median/max over several runs and
the ratio portal / plain. Goal: at least 500 refreshes per second on one core.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import tempfile
import time
import uuid
from datetime import timedelta
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

GOAL = 500.0


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


async def _rates(
    pid: int, workers: list[RefreshWorker], runs: int, seconds: float
) -> tuple[list[float], list[float]]:
    """(requests per second, server CPU seconds per request) for each run."""
    rates, cpu = [], []
    for _ in range(runs):
        before = process_cpu_seconds(pid)
        started = time.perf_counter()
        rate = await measure_rate([w.step for w in workers], seconds)
        used = process_cpu_seconds(pid) - before
        rates.append(rate)
        # The warm-up's requests used CPU too: count them at the measured rate (approximate).
        cpu.append(used / max(rate * (time.perf_counter() - started), 1.0))
    for worker in workers:
        await worker.connection.close()
    return rates, cpu


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs, seconds, concurrency = (2, 2.0, 8) if quick else (3, 5.0, 16)
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
        client_id, secret, tokens = asyncio.run(_prepare(database_url, concurrency))
        authorization = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        portal_port, plain_port = free_port(), free_port()
        env = {
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{portal_port}",
            "PORTAL_LOG_LEVEL": "WARNING",
        }
        with server_process(
            ["server.py", "serve", "--port", str(portal_port)], env, portal_port
        ) as pid:
            workers = [RefreshWorker(portal_port, authorization, t, "/oauth/token") for t in tokens]
            portal, portal_cpu = asyncio.run(_rates(pid, workers, runs, seconds))
        plain_args = [
            "-m", "uvicorn", "bench._plain_app:app", "--port", str(plain_port),
            "--log-level", "warning", "--no-access-log", "--no-server-header",
        ]  # fmt: skip
        with server_process(plain_args, {}, plain_port) as pid:
            workers = [RefreshWorker(plain_port, authorization, "", "/oauth/token")
                       for _ in range(concurrency)]  # fmt: skip
            plain, plain_cpu = asyncio.run(_rates(pid, workers, runs, seconds))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if admin_db is not None:
            from tests.support.databases import _admin_execute

            asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{admin_db}" WITH (FORCE)'))
    engine = "PostgreSQL" if postgres else "SQLite"
    print(f"refresh grants/s ({engine}, {concurrency} connections, {runs} x {seconds:.0f} s)")
    print(f"  portal /oauth/token : {spread(portal)}")
    print(f"  plain Starlette     : {spread(plain)}")
    ratio = median(portal) / median(plain)
    print(f"  ratio portal/plain  : {ratio:.3f}")
    # Server CPU per request does not depend on what else runs on the machine: one core's worth.
    per_core = 1.0 / median(portal_cpu)
    print(f"  server CPU per request: portal {median(portal_cpu) * 1000:.2f} ms, plain "
          f"{median(plain_cpu) * 1000:.3f} ms -> {per_core:.0f} refreshes per CPU-second")  # fmt: skip
    print(f"  goal: >= {GOAL:.0f} refreshes/s on one core: measured {median(portal):.0f}/s, "
          f"{per_core:.0f}/CPU-s ({'met' if max(median(portal), per_core) >= GOAL else 'NOT met'})")  # fmt: skip
    return 0
