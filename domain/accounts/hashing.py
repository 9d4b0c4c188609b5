"""Argon2id password hashing, off the event loop and bounded.

Each hash holds ``memory_cost`` KiB (19 MiB by default) for tens of milliseconds, so hashing runs in
worker threads (argon2-cffi releases the GIL) behind a semaphore: a burst of 64 logins queues instead
of allocating 64 x 19 MiB at once and starving the event loop. The threads are the hasher's own,
``concurrency`` of them: the bound is this setting, not the size of asyncio's shared default pool.
That memory goes back to the system after each hash (kit/memory.py), not to the arena of whichever
thread ran it — except a verification's: while logins keep coming, verifications reuse a pooled
working memory (kit/argon2_verify.py: a fresh 19 MiB mapping per verification cost half as much
CPU again as the hash itself), given back once no verification has run for
``RELEASE_MEMORY_AFTER_SECONDS``.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.accounts.passwords import normalize_password
from kit.argon2_verify import WorkingMemory
from kit.memory import return_large_blocks

# An idle process holds no hash memory: the verifications' pool is released this long after the
# last one (a steady stream of logins keeps it).
RELEASE_MEMORY_AFTER_SECONDS = 5.0


_DUMMIES: dict[tuple[int, int, int], tuple[str, float]] = {}


def _dummy(argon2: _Argon2) -> tuple[str, float]:
    """A hash of a password nobody has, with these parameters, and how long hashing it took."""
    key = (argon2.time_cost, argon2.memory_cost, argon2.parallelism)
    found = _DUMMIES.get(key)
    if found is None:
        started = time.perf_counter()
        dummy = argon2.hash("dummy password for timing equalization")
        found = _DUMMIES[key] = (dummy, time.perf_counter() - started)
    return found


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    # A new hash when the stored one used other parameters (rehash on login).
    new_hash: str | None = None


class PasswordHasher:
    def __init__(
        self,
        *,
        time_cost: int = 2,
        memory_kib: int = 19 * 1024,
        parallelism: int = 1,
        concurrency: int = 2,
    ) -> None:
        return_large_blocks()
        self._argon2 = _Argon2(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        self._semaphore = asyncio.Semaphore(concurrency)
        self._memory = WorkingMemory()
        self._verifying = 0
        self._release: asyncio.TimerHandle | None = None
        self._executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")
        # Verified against when the account does not exist, so that an unknown email costs the
        # same time as a known one (no timing oracle for enumeration). One per set of parameters
        # and process: every hasher of the same parameters (tests build one per test) shares it.
        # With it, a running estimate of one verification's duration, for answers that must take
        # as long as a verification without spending one (a throttled login looks like a wrong
        # password): the first hash's time until this hasher has verified.
        self._dummy_hash, self._typical_seconds = _dummy(self._argon2)

    # The CPU-bound work itself, once: ``hash``/``verify`` below run it in the Argon2 threads
    # (not twins of them); only a command-line tool or a bench calls it directly.
    def hash_blocking(self, password: str) -> str:
        return self._argon2.hash(normalize_password(password))

    def _verify_blocking(self, stored: str, password: str) -> VerifyResult:
        # Every hash is of the NFKC form (domain.accounts.passwords): the same characters typed
        # on another keyboard or system must verify.
        password = normalize_password(password)
        ok = self._memory.verify(stored, password.encode())
        if ok is None:  # not in the form the pooled path takes: argon2-cffi's own verification
            try:
                ok = self._argon2.verify(stored, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
        if not ok:
            return VerifyResult(ok=False)
        if self._argon2.check_needs_rehash(stored):
            return VerifyResult(ok=True, new_hash=self._argon2.hash(password))
        return VerifyResult(ok=True)

    async def hash(self, password: str) -> str:
        async with self._semaphore:
            return await asyncio.get_running_loop().run_in_executor(
                self._executor, self.hash_blocking, password
            )

    @property
    def typical_verify_seconds(self) -> float:
        return self._typical_seconds

    async def verify(self, stored: str | None, password: str) -> VerifyResult:
        """Verify ``password``; with no stored hash, spend the same time and fail."""
        async with self._semaphore:
            started = time.perf_counter()
            loop = asyncio.get_running_loop()
            if self._release is not None:
                self._release.cancel()
                self._release = None
            self._verifying += 1
            try:
                result = await loop.run_in_executor(
                    self._executor,
                    self._verify_blocking,
                    self._dummy_hash if stored is None else stored,
                    password,
                )
            finally:
                self._verifying -= 1
                if self._verifying == 0:
                    self._release = loop.call_later(
                        RELEASE_MEMORY_AFTER_SECONDS, self._memory.release
                    )
            elapsed = time.perf_counter() - started
            self._typical_seconds = 0.8 * self._typical_seconds + 0.2 * elapsed
            return VerifyResult(ok=False) if stored is None else result
