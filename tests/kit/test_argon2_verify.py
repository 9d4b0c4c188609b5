"""kit/argon2_verify.py: the pooled Argon2id verification agrees with argon2-cffi's on every
answer, refuses what it does not handle (the caller falls back), and an idle process holds no
hash memory."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from argon2 import PasswordHasher as Argon2
from argon2 import Type

from domain.accounts.hashing import PasswordHasher
from kit.argon2_verify import WorkingMemory

FAST: dict[str, Any] = {
    "time_cost": 1,
    "memory_cost": 8 * 1024,
    "parallelism": 1,
    "hash_len": 32,
    "salt_len": 16,
}


def test_agrees_with_argon2_cffi() -> None:
    memory = WorkingMemory()
    for params in (FAST, {**FAST, "parallelism": 2, "time_cost": 2}, {**FAST, "hash_len": 16}):
        stored = Argon2(**params, type=Type.ID).hash("correct horse")
        assert memory.verify(stored, b"correct horse") is True
        assert memory.verify(stored, b"correct hors") is False
        assert memory.verify(stored, b"") is False
        # The same buffer serves the next verification (no new memory while logins go on).
        assert memory.held_bytes >= params["memory_cost"] * 1024
    # A changed hash or salt byte never verifies.
    stored = Argon2(**FAST, type=Type.ID).hash("pw")
    head, salt, digest = stored.rsplit("$", 2)
    flipped = digest[:-2] + ("A" if digest[-2] != "A" else "B") + digest[-1]
    assert memory.verify(f"{head}${salt}${flipped}", b"pw") is False
    other_salt = salt[:-2] + ("A" if salt[-2] != "A" else "B") + salt[-1]
    assert memory.verify(f"{head}${other_salt}${digest}", b"pw") is False


@pytest.mark.parametrize(
    "encoded",
    [
        "$argon2i$v=19$m=8192,t=1,p=1$4tfGUPIWsVmr1A4rXyXF6w$TrM6ypyyOeZ6McE7mGHm0/c3HFAh/QgJcSqAfWCRu3k",  # argon2i: argon2-cffi decides
        "$argon2id$v=16$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=8192,t=0,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=8192,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",  # salt too short
        "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA$",
        "not a hash",
        "",
    ],
)
def test_what_it_does_not_handle_is_left_to_argon2_cffi(encoded: str) -> None:
    assert WorkingMemory().verify(encoded, b"pw") is None


def test_hasher_verifies_through_either_path() -> None:
    async def main() -> None:
        hasher = PasswordHasher(time_cost=1, memory_kib=8 * 1024)
        stored = hasher.hash_blocking("Pässword one")
        assert (await hasher.verify(stored, "Pässword one")).ok
        assert not (await hasher.verify(stored, "Pässword two")).ok
        assert not (await hasher.verify(None, "Pässword one")).ok
        legacy = Argon2(**FAST, type=Type.I).hash("Pässword one")  # the fallback path
        result = await hasher.verify(legacy, "Pässword one")
        assert result.ok and result.new_hash is not None  # rehashed to the current parameters
        assert not (await hasher.verify(legacy, "nope")).ok

    asyncio.run(main())


_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    import domain.accounts.hashing as hashing
    from domain.accounts.hashing import PasswordHasher

    hashing.RELEASE_MEMORY_AFTER_SECONDS = 0.2

    def rss_mib():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError

    async def main():
        hasher = PasswordHasher()  # the shipped 19 MiB
        stored = hasher.hash_blocking("a password")
        before = rss_mib()
        for _ in range(3):
            results = await asyncio.gather(*(hasher.verify(stored, "a password") for _ in range(4)))
            assert all(r.ok for r in results)
        busy = rss_mib() - before
        await asyncio.sleep(1.0)
        print(busy, rss_mib() - before, hasher._memory.held_bytes)

    asyncio.run(main())
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_idle_process_holds_no_hash_memory() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True
    )
    busy, idle, held = (float(v) for v in done.stdout.split())
    # While verifications go on the pool holds their memory (at most two at once: the bound)...
    assert 19 <= busy <= 2 * 19 + 8, busy
    # ... and gives it back once they stop.
    assert held == 0
    assert idle < 8, idle
