from __future__ import annotations

from pathlib import Path

from db.database import Database
from tests.support.server import LiveServer


async def test_healthz_and_readyz(live: LiveServer) -> None:
    alive = await live.client.get("/healthz")
    assert alive.status_code == 200
    assert alive.json() == {"status": "ok"}
    ready = await live.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"
    assert alive.headers["x-request-id"]


async def test_readyz_reports_an_unreachable_database(live: LiveServer, tmp_path: Path) -> None:
    # Point the app at a database it cannot reach: readiness must say so, not crash.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    broken = Database.from_url(
        "postgresql+asyncpg://nobody@127.0.0.1:1/none"
        if live.services.db.is_postgresql
        else f"sqlite+aiosqlite:///{blocker}/portal.db"
    )
    original = live.services.db
    live.services.db = broken
    try:
        response = await live.client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["database"] == "unreachable"
    finally:
        live.services.db = original
        await broken.dispose()
