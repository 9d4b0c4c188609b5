"""How many Argon2 computations run at once: the setting's default follows the CPUs the process
may use, and the hasher's own threads are the bound (not asyncio's shared default pool)."""

from __future__ import annotations

import asyncio
import threading

import pytest

import settings as settings_module
from domain.accounts.hashing import PasswordHasher
from settings import Settings


def test_default_is_two_or_the_cpus_the_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "sqlite+aiosqlite:///unused.db"
    monkeypatch.setattr(settings_module, "_usable_cpus", lambda: 1)
    assert Settings(database_url=url).hash_concurrency == 1
    monkeypatch.setattr(settings_module, "_usable_cpus", lambda: 8)
    assert Settings(database_url=url).hash_concurrency == 2
    monkeypatch.setenv("PORTAL_HASH_CONCURRENCY", "5")
    assert Settings(database_url=url).hash_concurrency == 5


async def test_the_hasher_runs_up_to_its_concurrency_at_once() -> None:
    hasher = PasswordHasher(time_cost=1, memory_kib=8 * 1024, concurrency=8)
    stored = await hasher.hash("a long enough password")
    names: set[str] = set()
    original = hasher._verify_blocking

    def verify(stored: str, password: str):  # type: ignore[no-untyped-def]
        names.add(threading.current_thread().name)
        return original(stored, password)

    hasher._verify_blocking = verify  # type: ignore[method-assign]
    results = await asyncio.gather(*(hasher.verify(stored, "a long enough password")
                                     for _ in range(32)))  # fmt: skip
    assert all(r.ok for r in results)
    assert names and all(name.startswith("argon2") for name in names)
    assert len(names) <= 8
