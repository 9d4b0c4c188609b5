from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from settings import Settings
from tests.conftest import build_services
from tests.sso import node_op
from tests.sso.dns_server import DnsServer
from tests.sso.node_op import NodeProvider
from tests.support import server as live_server
from tests.support.databases import PostgresTemplate, SqliteTemplate
from tests.support.server import LiveServer, serve


@pytest.fixture
def dns_server() -> Iterator[DnsServer]:
    with DnsServer().running() as server:
        yield server


@pytest.fixture
def settings_overrides(dns_server: DnsServer) -> dict[str, Any]:
    # A silent server costs a test this long, not the default five seconds.
    return {"dns_resolver": dns_server.address, "dns_timeout_seconds": 1.0}


@pytest.fixture
async def upstream(
    db_template: SqliteTemplate | PostgresTemplate, make_settings: Callable[..., Settings]
) -> AsyncIterator[LiveServer]:
    """Another Cloud Portal (its own database, its own port): a customer's OpenID provider."""
    url = await db_template.new_database()
    settings = make_settings(database_url=url, public_url=live_server.test_public_url())
    services = await build_services(settings)
    try:
        async with serve(settings, services) as server:
            yield server
    finally:
        await services.close()
        await db_template.drop_database(url)


@pytest.fixture
def op(settings: Settings) -> Iterator[NodeProvider]:
    """node's oidc-provider (tests/node/upstream_op.mjs): a customer's OpenID provider, its one
    client registered with this portal's callback."""
    with node_op.running(settings.public_url + "/sso/callback") as provider:
        yield provider
