"""Argon2id verification that reuses its working memory while logins keep coming.

Each verification needs ``m`` KiB (19 MiB by default). argon2-cffi's ``verify`` lets the C library
``malloc`` it, and since kit/memory.py fixes glibc's mmap threshold, that is a fresh ``mmap`` per
verification: ~4,900 page faults and the kernel zeroing 19 MiB, every time — measured on this
machine, 31 ms of CPU per verification against 20 ms when the memory is reused (bench_login's
baseline, a plain process whose glibc keeps the block in its arena, pays the 20).

``WorkingMemory`` hands Argon2 (through the ``argon2_context`` allocation callbacks) a buffer from
a small pool instead: at most as many buffers as verifications run at once (the hasher's
concurrency, 2 by default), each wiped by Argon2 itself before it is handed back (the reference
implementation clears its memory before calling the free callback), and all of them released
(``release``) when no verification has run for a while — so an idle process holds no hash
memory, exactly as before (tests/kit/test_argon2_verify.py).

Only hashes in the exact form argon2-cffi writes (``$argon2id$v=19$m=…,t=…,p=…$salt$hash``) take
this path; ``verify`` answers None for anything else and the caller uses argon2-cffi's own.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import threading
from typing import Any

from _argon2_cffi_bindings import ffi, lib  # type: ignore[import-untyped]  # argon2-cffi binds it
from argon2 import Type

_ENCODED = re.compile(
    r"^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,4}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,64})\$([A-Za-z0-9+/]{11,128})$"
)
# Keep to what the library itself accepts (argon2.h), with room for any setting we ship.
MAX_MEMORY_KIB = 4 * 1024 * 1024

# Buffers are filled by Argon2 before they are read: no need to zero them first.
_new_uninitialized = ffi.new_allocator(should_clear_after_alloc=False)


def _b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


class WorkingMemory:
    """Argon2's working memory, pooled between verifications (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Any] = []  # cdata buffers not in use
        self._in_use: dict[int, Any] = {}  # address -> cdata, while Argon2 works in it
        # Set by ``release``: a buffer still in use then is dropped when Argon2 hands it back.
        self._dropping = False

        @ffi.callback("int(uint8_t **, size_t)")  # type: ignore[untyped-decorator]
        def allocate(memory: Any, size: int) -> int:
            with self._lock:
                self._dropping = False
                buffer = next((b for b in self._free if len(b) >= size), None)
                if buffer is not None:
                    self._free.remove(buffer)
            if buffer is None:
                try:
                    buffer = _new_uninitialized("uint8_t[]", size)
                except MemoryError:
                    return int(lib.ARGON2_MEMORY_ALLOCATION_ERROR)
            address = int(ffi.cast("uintptr_t", buffer))
            with self._lock:
                self._in_use[address] = buffer
            memory[0] = buffer
            return int(lib.ARGON2_OK)

        @ffi.callback("void(uint8_t *, size_t)")  # type: ignore[untyped-decorator]
        def free(memory: Any, _size: int) -> None:
            # Argon2 has wiped the memory already (clear_internal_memory before free_cbk).
            with self._lock:
                buffer = self._in_use.pop(int(ffi.cast("uintptr_t", memory)), None)
                if buffer is not None and not self._dropping:
                    self._free.append(buffer)

        # The callbacks must live as long as this object (cffi frees them with their handle).
        self._allocate = allocate
        self._release_callback = free

    @property
    def held_bytes(self) -> int:
        with self._lock:
            return sum(len(b) for b in (*self._free, *self._in_use.values()))

    def release(self) -> None:
        """Give every buffer back to the system: the idle ones now, one still in use when Argon2
        is done with it (unless a new verification started meanwhile)."""
        with self._lock:
            self._free.clear()
            self._dropping = bool(self._in_use)

    def verify(self, encoded: str, secret: bytes) -> bool | None:
        """Whether ``secret`` matches the Argon2id hash ``encoded``; None when ``encoded`` is not
        in the form this handles (the caller falls back to argon2-cffi) or Argon2 refused it."""
        match = _ENCODED.match(encoded)
        if match is None:
            return None
        memory_kib, time_cost, parallelism = (int(match.group(n)) for n in (1, 2, 3))
        if parallelism < 1 or time_cost < 1:
            return None
        if not 8 * parallelism <= memory_kib <= MAX_MEMORY_KIB:
            return None
        try:
            salt, expected = _b64(match.group(4)), _b64(match.group(5))
        except (binascii.Error, ValueError):
            return None
        if len(salt) < 8 or len(expected) < 4:
            return None
        out = ffi.new("uint8_t[]", len(expected))
        password = ffi.new("uint8_t[]", secret)
        salt_buffer = ffi.new("uint8_t[]", salt)
        context = ffi.new(
            "argon2_context *",
            {
                "out": out,
                "outlen": len(expected),
                "pwd": password,
                "pwdlen": len(secret),
                "salt": salt_buffer,
                "saltlen": len(salt),
                "secret": ffi.NULL,
                "secretlen": 0,
                "ad": ffi.NULL,
                "adlen": 0,
                "t_cost": time_cost,
                "m_cost": memory_kib,
                "lanes": parallelism,
                "threads": parallelism,
                "version": 19,
                "allocate_cbk": self._allocate,
                "free_cbk": self._release_callback,
                "flags": lib.ARGON2_DEFAULT_FLAGS,
            },
        )
        if lib.argon2_ctx(context, Type.ID.value) != lib.ARGON2_OK:
            return None
        return hmac.compare_digest(bytes(ffi.buffer(out)), expected)
