"""Several real ``server.py serve`` processes sharing one PostgreSQL database and one Redis: a
deployment scaled out, as the scale-out tests drive it.

Every process gets the same settings (one public URL, the issuer of every token, as behind a load
balancer) and its own port, so a test chooses which process answers each request. PostgreSQL and
Redis are required by nature (SQLite cannot be shared across hosts): unreachable, they skip the
test, or fail it under PORTAL_TEST_REQUIRE_POSTGRES=1 / PORTAL_TEST_REQUIRE_REDIS=1 (CI).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.databases import (
    ADMIN_URL,
    REQUIRE_POSTGRES,
    _admin_execute,
    _with_database,
    postgres_available,
)
from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("PORTAL_TEST_REQUIRE_REDIS") == "1"


async def redis_available(url: str = REDIS_URL) -> bool:
    import redis.asyncio as redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        return bool(await client.ping())
    except (OSError, redis.RedisError):
        return False
    finally:
        await client.aclose()


async def require_postgres_and_redis() -> None:
    if not await postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL is required (PORTAL_TEST_REQUIRE_POSTGRES=1) but unreachable")
        pytest.skip("scale-out needs PostgreSQL, which is not reachable on this machine")
    if not await redis_available():
        if REQUIRE_REDIS:
            pytest.fail(f"Redis is required (PORTAL_TEST_REQUIRE_REDIS=1) but {REDIS_URL} is not")
        pytest.skip("scale-out needs Redis, which is not reachable on this machine")


@dataclass
class Node:
    """One ``serve`` process (or one ``serve --workers N`` group on one port)."""

    name: str
    port: int
    workers: int
    log: Path
    process: asyncio.subprocess.Process | None = None
    client: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.AsyncClient(base_url=self.url, timeout=30)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def graphql(
        self, query: str, variables: dict[str, object] | None = None, *, token: str | None = None
    ) -> dict[str, object]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, (self.name, response.text)
        body: dict[str, object] = response.json()
        return body


@dataclass
class Cluster:
    database_url: str
    env: dict[str, str]
    nodes: list[Node]

    async def cli(self, *args: str) -> str:
        """Run ``server.py ARGS`` as an operator would, with the cluster's settings."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "server.py",
            *args,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
        return out.decode()


async def _wait_ready(node: Node, deadline: float) -> None:
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        assert node.process is not None
        if node.process.returncode is not None:
            raise AssertionError(f"{node.name} exited: {node.log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if (await node.client.get("/readyz")).status_code == 200:
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{node.name} did not become ready")


async def _stop(node: Node) -> None:
    await node.client.aclose()
    process = node.process
    if process is None or process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 20)
    except TimeoutError:
        process.kill()
        await process.wait()


@contextlib.asynccontextmanager
async def cluster(
    workers: Sequence[int], *, smtp_url: str, directory: Path, **settings: str
) -> AsyncIterator[Cluster]:
    """Start one ``serve`` per entry of ``workers`` (its ``--workers``) on a new PostgreSQL
    database and a fresh Redis key prefix, all at once (each brings the schema up to date at
    start: the migration lock makes that safe); stop them and drop the database afterwards."""
    await require_postgres_and_redis()
    name = f"portal_scale_{uuid.uuid4().hex[:12]}"
    await _admin_execute(f'CREATE DATABASE "{name}"')
    database_url = _with_database(ADMIN_URL, name)
    nodes = [
        Node(
            name=f"node{i + 1}",
            port=free_port(),
            workers=count,
            log=directory / f"node{i + 1}.log",
        )
        for i, count in enumerate(workers)
    ]
    env = {
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_REDIS_URL": REDIS_URL,
        "PORTAL_REDIS_KEY_PREFIX": f"portal-test-{uuid.uuid4().hex[:12]}",
        "PORTAL_PUBLIC_URL": nodes[0].url,
        "PORTAL_SMTP_URL": smtp_url,
        "PORTAL_MAIL_DIR": str(directory / "mail"),
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_OUTBOX_POLL_SECONDS": "0.1",
        "PORTAL_OUTBOX_SCRUB_SENT": "false",
        "PORTAL_DB_POOL_SIZE": "4",
        **{f"PORTAL_{key.upper()}": value for key, value in settings.items()},
    }
    with contextlib.ExitStack() as stack:
        try:
            async with _running(nodes, env, stack):
                yield Cluster(database_url, env, nodes)
        finally:
            await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def _running(
    nodes: list[Node], env: dict[str, str], stack: contextlib.ExitStack
) -> AsyncIterator[None]:
    try:
        for node in nodes:
            node.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "server.py",
                "serve",
                "--port",
                str(node.port),
                "--workers",
                str(node.workers),
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=asyncio.subprocess.DEVNULL,
                # A file, not a pipe: nobody reads a pipe while the test runs, and a full one
                # would block the server.
                stderr=stack.enter_context(node.log.open("wb")),
            )
        deadline = asyncio.get_running_loop().time() + 60
        await asyncio.gather(*(_wait_ready(node, deadline) for node in nodes))
        yield
    finally:
        await asyncio.gather(*(_stop(node) for node in nodes))
