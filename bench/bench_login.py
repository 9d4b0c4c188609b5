"""A whole OpenID Connect login as a relying party drives it, against raw Argon2id verifications
on the same core.

A login (one per fresh browser, over a keep-alive connection): ``GET /oauth/authorize`` (code +
PKCE S256, ``openid email offline_access``) → the redirect to ``GET /login`` (a session and its
CSRF token) → ``POST /login`` (throttling checks, Argon2id, the new session, the audit event, and
the waiting authorization request answered in the same transaction) → the code at the redirect
URI → ``POST /oauth/token`` with the verifier and client authentication (ID token, access and
refresh tokens). Any redirect back through the portal on the way is followed and counted.
``server.py serve`` runs in its own process pinned to CPU 0 (SQLite by default, ``--postgres`` for
the local PostgreSQL); this process, pinned to CPU 1, is the load.

Baseline: raw Argon2id verifications with the portal's parameters (``argon2_*`` settings), one
thread in a process pinned to the same CPU 0 — what that core can do when a login is nothing but
its hash. Verdict: the median of the per-round ratios logins/s ÷ verifications/s (wall clock),
goal ≥ 0.85. CPU ms per login (server) and per verification are printed as figures.

Floor, a figure beside the verdict: the same logins against ``bench/_floor_app.py`` (the four
requests bare, the hash, the two RS256 signatures; no database, no portal logic), pinned to the
same CPU 0 — the most any portal could score on this stack and this machine. Baseline, logins and
floor run in rounds of the same length, the order turned every round.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

from bench._load import pin
from bench._support import (
    ROOT,
    Connection,
    free_port,
    measure_rate,
    median,
    process_cpu_seconds,
    server_process,
    spread,
    uvicorn_args,
)
from bench._verdict import verdict

GOAL = 0.85
FLOOR_APP = "bench._floor_app:create"
PASSWORD = "correct horse battery staple 42"  # noqa: S105 (the benchmark accounts')
REDIRECT_URI = "http://127.0.0.1:9/callback"
CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')
RETURN_TO = re.compile(rb'name="return_to" value="([^"]+)"')
COOKIE = "portal_session"


async def _prepare(database_url: str, accounts: int) -> tuple[list[str], str, str]:
    """Schema, ``accounts`` users with PASSWORD, a confidential first-party client: (emails,
    client id, client secret)."""
    from db import migrate
    from db.database import Database
    from domain.accounts.hashing import PasswordHasher
    from domain.enums import Role
    from identity.keys import ensure_signing_key
    from identity.oauth.clients import create_client
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
        client = await create_client(db, name="Bench", redirect_uris=[REDIRECT_URI])
        assert client.client_secret is not None
    finally:
        await db.dispose()
    return emails, client.client_id, client.client_secret


def _location(reply: object) -> str:
    location = reply.header("location")  # type: ignore[attr-defined]
    if reply.status not in {302, 303} or location is None:  # type: ignore[attr-defined]
        body = reply.body[:300]  # type: ignore[attr-defined]
        raise RuntimeError(f"expected a redirect: {reply.status} {body!r}")  # type: ignore[attr-defined]
    return str(location)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class LoginWorker:
    """One relying party + browser pair; every step is a new browser (no cookies kept)."""

    def __init__(self, port: int, email: str, client_id: str, secret: str) -> None:
        self.connection = Connection(port)
        self.email = email
        self.client_id = client_id
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        self.authorization = f"Basic {basic}"

    async def step(self) -> None:
        verifier = secrets.token_urlsafe(48)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": REDIRECT_URI,
                "scope": "openid email offline_access",
                "state": secrets.token_urlsafe(12),
                "nonce": secrets.token_urlsafe(12),
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        jar: dict[str, str] = {}

        async def get(url: str) -> object:
            headers = {"Cookie": f"{COOKIE}={jar[COOKIE]}"} if COOKIE in jar else {}
            reply = await self.connection.request("GET", _path(url), headers)
            jar.update(reply.cookies())
            return reply

        reply = await get(f"/oauth/authorize?{query}")
        while reply.status in {302, 303}:  # type: ignore[attr-defined]
            reply = await get(_location(reply))
        form = reply.body  # type: ignore[attr-defined]
        token = CSRF.search(form)
        if reply.status != 200 or token is None or COOKIE not in jar:  # type: ignore[attr-defined]
            raise RuntimeError(f"no login form: {reply.status}")  # type: ignore[attr-defined]
        fields = {"csrf_token": token.group(1).decode(), "email": self.email, "password": PASSWORD}
        return_to = RETURN_TO.search(form)
        if return_to is not None:
            fields["return_to"] = return_to.group(1).decode().replace("&amp;", "&")
        reply = await self.connection.request(
            "POST",
            "/login",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{COOKIE}={jar[COOKIE]}",
            },
            urlencode(fields).encode(),
        )
        jar.update(reply.cookies())
        location = _location(reply)
        while not location.startswith(REDIRECT_URI):
            location = _location(await get(location))
        code = parse_qs(urlsplit(location).query)["code"][0]
        answer = await self.connection.request(
            "POST",
            "/oauth/token",
            {
                "Authorization": self.authorization,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            urlencode(
                {
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier,
                }
            ).encode(),
        )
        if answer.status != 200:
            raise RuntimeError(f"token exchange failed: {answer.status} {answer.body[:300]!r}")
        tokens = json.loads(answer.body)
        if not {"id_token", "access_token", "refresh_token"} <= tokens.keys():
            raise RuntimeError(f"missing tokens: {sorted(tokens)}")


async def _login_round(pid: int, workers: list[LoginWorker], seconds: float) -> tuple[float, float]:
    """(logins per second, server CPU seconds per login) over one window."""
    before = process_cpu_seconds(pid)
    started = time.perf_counter()
    rate = await measure_rate([w.step for w in workers], seconds, warmup=0.5)
    cpu = process_cpu_seconds(pid) - before
    logins = rate * (time.perf_counter() - started)  # the warm-up's logins used CPU too: approx.
    for worker in workers:  # the server closes idle connections (keep-alive 5 s) meanwhile
        await worker.connection.close()
    return rate, cpu / max(logins, 1.0)


# The baseline, run as ``python -c`` pinned to the server's CPU: one thread verifying for
# ``seconds``; prints verifications/s and CPU seconds per verification.
_VERIFY = """
import sys, time
from argon2 import PasswordHasher, Type
from settings import Settings
s = Settings()
h = PasswordHasher(time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib,
                   parallelism=s.argon2_parallelism, hash_len=32, salt_len=16, type=Type.ID)
stored = h.hash(sys.argv[1])
h.verify(stored, sys.argv[1])
seconds = float(sys.argv[2])
n, cpu, started = 0, time.process_time(), time.perf_counter()
while time.perf_counter() - started < seconds:
    h.verify(stored, sys.argv[1])
    n += 1
print(n / (time.perf_counter() - started), (time.process_time() - cpu) / n)
"""


def _verify_round(seconds: float) -> tuple[float, float]:
    out = subprocess.run(
        [*pin(0), sys.executable, "-c", _VERIFY, PASSWORD, str(seconds)],
        cwd=ROOT,
        env={**os.environ, "PORTAL_DATABASE_URL": "sqlite+aiosqlite:///unused.db"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


async def _rounds(
    servers: dict[str, tuple[int, list[LoginWorker]]], runs: int, seconds: float
) -> dict[str, tuple[list[float], list[float]]]:
    """Alternate the baseline, the logins and the floor, in an order that turns every round:
    per side, (rates, CPU seconds per step). ``servers``: per side served, (pid, workers)."""
    sides = ["verify", *servers]
    measured: dict[str, tuple[list[float], list[float]]] = {side: ([], []) for side in sides}
    for _pid, workers in servers.values():  # warm: pools, caches
        await measure_rate([w.step for w in workers], 1.0, warmup=0.5)
        for worker in workers:  # a baseline round may outlast the server's keep-alive (5 s)
            await worker.connection.close()
    for number in range(runs):
        turn = number % len(sides)
        for side in sides[turn:] + sides[:turn]:
            if side == "verify":
                rate, cpu = await asyncio.to_thread(_verify_round, seconds)
            else:
                pid, workers = servers[side]
                rate, cpu = await _login_round(pid, workers, seconds)
            measured[side][0].append(rate)
            measured[side][1].append(cpu)
    return measured


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    # 8 browsers: enough logins in flight that a slow load generator (a shared CPU 1) does not
    # leave the server's core idle between requests.
    runs, seconds, browsers = (4, 3.0, 8) if quick else (6, 6.0, 8)
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
        emails, client_id, secret = asyncio.run(_prepare(database_url, browsers))
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
        args = ["server.py", "serve", "--port", str(port)]
        floor_port = free_port()
        with (
            server_process(args, env, port, prefix=pin(0)) as pid,
            server_process(
                uvicorn_args(FLOOR_APP, floor_port), {}, floor_port, prefix=pin(0)
            ) as floor_pid,
        ):
            servers = {
                "login": (pid, [LoginWorker(port, e, client_id, secret) for e in emails]),
                "floor": (floor_pid, [LoginWorker(floor_port, e, "", "") for e in emails]),
            }
            measured = asyncio.run(_rounds(servers, runs, seconds))
    finally:
        if load_cpu:
            os.sched_setaffinity(0, range(os.cpu_count() or 1))
        shutil.rmtree(directory, ignore_errors=True)
        if admin_db is not None:
            from tests.support.databases import _admin_execute

            asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{admin_db}" WITH (FORCE)'))
    engine = "PostgreSQL" if postgres else "SQLite"
    verify, verify_cpu = measured["verify"]
    logins, login_cpu = measured["login"]
    floors, floor_cpu = measured["floor"]
    ratios = [login / base for login, base in zip(logins, verify, strict=True)]
    floor_ratios = [floor / base for floor, base in zip(floors, verify, strict=True)]
    conditions = (
        f"{engine}, servers and baseline pinned to CPU 0, load on CPU 1, {browsers} browsers, "
        f"{runs} rounds x {seconds:.0f} s, the three sides in turn"
    )
    print(f"OIDC code + PKCE logins/s, every request and the token exchange ({conditions})")
    print(f"  logins (authorize … token)     : {spread(logins)}")
    print(f"  raw Argon2id verifications     : {spread(verify)}   (1 thread, same core)")
    print(f"  ratio per round                : {'  '.join(f'{r:.3f}' for r in ratios)}")
    print(f"  CPU ms per login / per verify  : {median(login_cpu) * 1000:.1f} / "
          f"{median(verify_cpu) * 1000:.1f}   (by CPU "
          f"{median(verify_cpu) / median(login_cpu):.3f})")  # fmt: skip
    # A figure, not a second verdict: how far the goal is from what the stack allows.
    floor = median(floor_ratios)
    print(f"  floor: bare requests, hash, 2 RS256 (bench/_floor_app.py): ratio {floor:.3f}, "
          f"{median(floor_cpu) * 1000:.1f} ms CPU per login")  # fmt: skip
    return verdict(
        "login",
        "logins/s ÷ verifications/s, same core",
        median(ratios),
        GOAL,
        conditions=conditions,
        figures=f"{median(logins):.1f} logins/s vs {median(verify):.1f} verifications/s; "
        f"{median(login_cpu) * 1000:.1f} ms CPU per login, "
        f"{median(verify_cpu) * 1000:.1f} ms per verification; "
        f"floor (bench/_floor_app.py) {floor:.3f}, {median(floor_cpu) * 1000:.1f} ms",
    )
