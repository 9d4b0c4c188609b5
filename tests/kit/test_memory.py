"""Argon2id's 19 MiB per hash goes back to the system after the hash, whatever thread ran it
(kit/memory.py): a process's memory does not grow by 19 MiB per worker thread that ever hashed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from concurrent.futures import ThreadPoolExecutor

    import domain.accounts.hashing
    from domain.accounts.hashing import PasswordHasher

    if sys.argv[1] == "unfixed":
        domain.accounts.hashing.return_large_blocks = lambda: False

    def rss_mib():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError

    async def main():
        hasher = PasswordHasher()
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=6))
        before = rss_mib()
        for _ in range(3):
            # 24 hashes, two at a time (the semaphore), spread over the executor's 6 threads by
            # short jobs that keep the other threads busy.
            await asyncio.gather(
                *(hasher.hash(f"password {n} for the test") for n in range(8)),
                *(asyncio.to_thread(sum, range(20000)) for _ in range(32)),
            )
        print(rss_mib() - before)

    asyncio.run(main())
    """
)


def _growth_mib(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, mode], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_hash_memory_is_returned_after_each_hash() -> None:
    fixed = _growth_mib("fixed")
    # Every hash is done when it is measured: less than one hash's memory is left.
    assert fixed < 19, fixed
    unfixed = _growth_mib("unfixed")
    # What it guards against: glibc's adjusted threshold keeps 19 MiB per thread that hashed.
    assert unfixed > fixed + 19, (unfixed, fixed)
