"""The cost of authenticating a GraphQL request: ``{ viewer { user { id } } }`` per second.

    python -m bench auth [--postgres] [--quick] [--runs=N] [--seconds=S]

One server process (``bench/_auth_app.py``: the portal plus two hand-written Starlette endpoints)
on a database with one user, a member of one customer organization, holding an access token as
the provider issues them (``sid`` of a live grant, ``ssv`` the user's security stamp). Asked in
turn, by a load generator in its own process (wrk when installed):

* ``/graphql``      — the viewer document through the whole GraphQL pipeline;
* ``/bench/auth``   — plain Starlette + ``authenticate()`` (token verified, principal read);
* ``/bench/plain``  — plain Starlette, the same JSON, no authentication (the floor).

Printed: requests per second and the server's CPU milliseconds per request of each (min, median,
max over the runs); authentication's own CPU (auth - plain) and the ratios to the floor. The CPU
figures are the ones to trust on a shared machine. Verdict: server CPU of plain + auth ÷ plain,
goal ≤ 6 (authentication costs at most five bare requests; measured about 4.5).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import uuid
from datetime import timedelta

import httpx

from bench._auth_app import VIEWER_QUERY
from bench._load import Post, alternating_runs, generator_name, pin, run_arguments
from bench._support import free_port, server_process, spread, uvicorn_args
from bench._targets import postgres_url
from bench._verdict import verdict

GOAL = 6.0


async def _prepare(url: str, public_url: str) -> tuple[uuid.UUID, str]:
    """Schema, a signing key, a member of one customer organization, a live grant, and an access
    token naming the grant (``sid``) and the security stamp (``ssv``)."""
    from db import migrate
    from db.database import Database
    from db.models import OAuthGrant
    from domain.authz.api_scopes import API_SCOPES
    from domain.enums import Role
    from identity.access_tokens import issue_access_token
    from identity.keys import KeyService, ensure_signing_key
    from kit.clock import utcnow
    from settings import Settings
    from tests.factories import add_member, create_organization, create_user

    await migrate.upgrade(url)
    db = Database.from_url(url, pool_size=1)
    try:
        now = utcnow()
        async with db.unit_of_work() as session:
            await ensure_signing_key(session)
            organization = await create_organization(session)
            user = await create_user(session)
            await add_member(session, user, organization, Role.USER)
            grant = OAuthGrant(
                client_id="bench",
                user_id=user.id,
                scope="openid",
                auth_time=now,
                security_stamp=user.security_stamp,
                expires_at=now + timedelta(days=1),
            )
            session.add(grant)
            await session.flush()
        settings = Settings(database_url=url, public_url=public_url)
        keys = KeyService(db)
        await keys.load()
        token = await issue_access_token(
            keys,
            issuer=settings.issuer,
            audience=settings.api_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
            user_id=user.id,
            client_id="bench",
            # A first-party client's token: every API scope (identity/oauth/models.py).
            scope=" ".join(["openid", *sorted(API_SCOPES)]),
            auth_time=int(now.timestamp()),
            security_stamp=user.security_stamp,
            session_id=str(grant.id),
        )
        return user.id, token
    finally:
        await db.dispose()


def _same_answer(port: int, requests: dict[str, Post]) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        answers = {
            name: client.post(r.path, content=r.body, headers=r.headers)
            for name, r in requests.items()
        }
    bodies = {a.content for a in answers.values()}
    if any(a.status_code != 200 for a in answers.values()) or len(bodies) != 1:
        raise SystemExit(
            "the answers differ:\n"
            + "\n".join(f"{n} {a.status_code} {a.text[:300]}" for n, a in answers.items())
        )


def main(argv: list[str]) -> int:
    args = run_arguments(argv, "python -m bench auth")

    if args.postgres:
        url = asyncio.run(postgres_url("portal_bench_auth", fresh=True))
    else:
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='portal-bench-auth-')}/auth.db"
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    user_id, token = asyncio.run(_prepare(url, public_url))
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    body = json.dumps({"query": VIEWER_QUERY}).encode()
    requests = {
        "graphql": Post(port, "/graphql", body, headers),
        "auth": Post(port, "/bench/auth", body, headers),
        "plain": Post(port, "/bench/plain", body, headers),
    }
    env = {
        "PORTAL_DATABASE_URL": url,
        "PORTAL_PUBLIC_URL": public_url,
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_OUTBOX_WORKERS": "0",
        # Nor webhook deliveries (their worker polls the database every second): not measured here.
        "PORTAL_WEBHOOK_WORKERS": "0",
        "PORTAL_BENCH_USER_ID": str(user_id),
    }
    app = uvicorn_args("bench._auth_app:create", port)
    with server_process(app, env, port, prefix=pin(0)) as pid:
        _same_answer(port, requests)
        rates, cpu = alternating_runs(
            pid, requests, runs=args.runs, seconds=args.seconds, connections=args.connections
        )

    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{VIEWER_QUERY} as a member of one organization ({engine}; {generator_name()}, "
        f"{args.connections} connections, {args.runs} x {args.seconds:.0f} s per endpoint)"
    )
    labels = {"graphql": "/graphql     ", "auth": "plain + auth ", "plain": "plain        "}
    for name, label in labels.items():
        print(f"  {label} req/s   {spread(rates[name])}")
    for name, label in labels.items():
        print(f"  {label} CPU ms  {spread(cpu[name])}")
    med = {name: statistics.median(values) for name, values in cpu.items()}
    print(f"  authentication alone (auth - plain): {med['auth'] - med['plain']:.2f} ms CPU")
    print(
        f"  ratio to plain (server CPU per request): GraphQL {med['graphql'] / med['plain']:.2f}, "
        f"auth {med['auth'] / med['plain']:.2f}"
    )
    return verdict(
        "auth",
        "server CPU plain + auth ÷ plain",
        med["auth"] / med["plain"],
        GOAL,
        at_most=True,
        conditions=f"{engine}, server on one core, {args.runs} x {args.seconds:.0f} s per endpoint",
        figures=f"/graphql {med['graphql']:.2f} ms, plain + auth {med['auth']:.2f} ms, "
        f"plain {med['plain']:.2f} ms CPU per request",
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
