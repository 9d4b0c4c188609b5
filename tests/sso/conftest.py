from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.sso.dns_server import DnsServer


@pytest.fixture
def dns_server() -> Iterator[DnsServer]:
    with DnsServer().running() as server:
        yield server


@pytest.fixture
def settings_overrides(dns_server: DnsServer) -> dict[str, Any]:
    # A silent server costs a test this long, not the default five seconds.
    return {"dns_resolver": dns_server.address, "dns_timeout_seconds": 1.0}
