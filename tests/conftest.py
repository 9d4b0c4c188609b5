"""Fixtures shared by every test.

Every test that asks for ``database_url`` (directly or through ``services``/``live``) runs twice:
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from domain.enums import Role
from identity.keys import ensure_signing_key
from kit.dependencies import OUTAGES
from runtime import Services
from settings import Settings
from tests.factories import Actor, create_actor
from tests.identity.oidc import RegisteredClient, register_client
from tests.support.databases import (
    REQUIRE_POSTGRES,
    PostgresTemplate,
    SqliteTemplate,
    postgres_available,
)
from tests.support.server import LiveServer, serve, test_public_url
from tests.support.smtp import SmtpSink

BACKENDS = ["sqlite", "postgresql"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``postgresql_only`` (the server's own timeouts, cutting a database server
    off) has no SQLite variant: deselected, so that no skip stands for a test that never runs."""
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        sqlite = callspec is not None and callspec.params.get("db_template") == "sqlite"
        (drop if sqlite and item.get_closest_marker("postgresql_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", params=BACKENDS)
def db_template(request: pytest.FixtureRequest) -> Iterator[SqliteTemplate | PostgresTemplate]:
    template: SqliteTemplate | PostgresTemplate
    if request.param == "postgresql":
        if not asyncio.run(postgres_available()):
            if REQUIRE_POSTGRES:
                pytest.fail(
                    "PostgreSQL is required (PORTAL_TEST_REQUIRE_POSTGRES=1) but unreachable"
                )
            pytest.skip("PostgreSQL is not reachable on this machine")
        template = PostgresTemplate()
    else:
        template = SqliteTemplate(Path(tempfile.mkdtemp(prefix="portal-test-")))
    asyncio.run(template.create())
    yield template
    asyncio.run(template.destroy())


@pytest.fixture
def backend(db_template: SqliteTemplate | PostgresTemplate) -> str:
    return db_template.backend


@pytest.fixture
async def database_url(db_template: SqliteTemplate | PostgresTemplate) -> AsyncIterator[str]:
    url = await db_template.new_database()
    try:
        yield url
    finally:
        await db_template.drop_database(url)


@pytest.fixture(autouse=True)
def _outages_forgotten() -> Iterator[None]:
    """The outage log is per process: one test's outage must not hide the next one's."""
    yield
    OUTAGES.forget()


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpSink]:
    """One SMTP server for the session; tests tell their mail apart by unique recipients."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Override in a test module (or parametrize) to change settings for its tests."""
    return {}


@pytest.fixture
def make_settings(database_url: str, smtp: SmtpSink, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "public_url": test_public_url(),
            "smtp_url": smtp.url,
            "mail_dir": str(tmp_path / "mail"),
            "outbox_poll_seconds": 0.05,
            # Many tests read the mail a journey wrote from the outbox rows; keep the bodies of
            # sent mail for them (tests/mail checks the default, which wipes them).
            "outbox_scrub_sent": False,
            # Tests run many hashes: keep Argon2 at the floor SECURITY.md allows.
            "argon2_memory_kib": 19 * 1024,
            "argon2_time_cost": 2,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings], settings_overrides: dict[str, Any]
) -> Settings:
    return make_settings(**settings_overrides)


async def build_services(settings: Settings) -> Services:
    services = Services.build(settings)
    async with services.db.unit_of_work() as session:
        await ensure_signing_key(session, bits=settings.signing_key_bits)
    await services.keys.load()
    return services


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    svc = await build_services(settings)
    try:
        yield svc
    finally:
        await svc.close()


@pytest.fixture
async def live(settings: Settings, services: Services) -> AsyncIterator[LiveServer]:
    """The portal served over real HTTP on a free loopback port."""
    async with serve(settings, services) as server:
        yield server


@pytest.fixture
async def member(services: Services) -> Actor:
    """An active customer admin with the default password."""
    return await create_actor(services, role=Role.ADMIN, with_password=True)


@pytest.fixture
async def rp(services: Services) -> RegisteredClient:
    """A confidential first-party relying party, for journeys that end in a real login."""
    return await register_client(services)
