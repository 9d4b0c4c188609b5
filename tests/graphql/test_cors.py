"""CORS only for the configured exact origins; nothing at all when none are configured."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from settings import Settings
from tests.support.gql import post
from tests.support.server import LiveServer

ALLOWED = "https://app.example.test"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


@pytest.mark.parametrize("settings_overrides", [{"cors_origins": [ALLOWED]}])
async def test_configured_origins_only(live: LiveServer) -> None:
    preflight = await live.client.options("/graphql", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers

    actual = await post(live, {"query": "{ __typename }"}, headers={"Origin": ALLOWED})
    assert actual.status_code == 200
    assert actual.headers["access-control-allow-origin"] == ALLOWED
    assert "x-request-id" in actual.headers["access-control-expose-headers"].lower()

    for origin in (
        "https://evil.example.test",
        "https://app.example.test.evil.test",
        "http://app.example.test",
        "null",
    ):
        refused = await live.client.options("/graphql", headers={"Origin": origin, **PREFLIGHT})
        assert refused.status_code == 400, origin
        assert "access-control-allow-origin" not in refused.headers
        simple = await post(live, {"query": "{ __typename }"}, headers={"Origin": origin})
        assert "access-control-allow-origin" not in simple.headers, origin


async def test_no_cors_when_none_configured(live: LiveServer) -> None:
    assert live.settings.cors_origins == []
    preflight = await live.client.options("/graphql", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert preflight.status_code == 405
    assert not any(h.startswith("access-control-") for h in preflight.headers)
    actual = await post(live, {"query": "{ __typename }"}, headers={"Origin": ALLOWED})
    assert not any(h.startswith("access-control-") for h in actual.headers)


@pytest.mark.parametrize(
    "value",
    ["*", "https://app.example.test/path", "app.example.test", "ftp://x.test", "https://u@x.test"],
)
def test_only_exact_origins_are_configurable(value: Any) -> None:
    with pytest.raises(ValidationError, match="PORTAL_CORS_ORIGINS"):
        Settings(database_url="sqlite+aiosqlite:///unused.db", cors_origins=value)


def test_origins_are_read_from_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "PORTAL_CORS_ORIGINS", "https://A.example.test, https://b.example.test:8443/"
    )
    settings = Settings(database_url="sqlite+aiosqlite:///unused.db")
    assert settings.cors_origins == ["https://a.example.test", "https://b.example.test:8443"]
