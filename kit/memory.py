"""glibc's allocator, tuned for a server process: large blocks given back to the system when freed,
and few arenas.

**Large blocks** (``return_large_blocks``). glibc serves a block of at least ``M_MMAP_THRESHOLD``
(128 KiB) with its own ``mmap`` and unmaps it on free — but after the first such block is freed it
raises the threshold to that block's size (up to 32 MiB), so every later block of that size comes
from the allocating thread's arena and stays resident there after it is freed. Argon2id allocates
``argon2_memory_kib`` (19 MiB) per hash in whichever worker thread runs it: each thread that ever
hashed kept 19 MiB, about 100 MiB per process after a minute of logins (measured: 16 hashes on 6
threads, 21 -> 135 MiB resident; with the threshold fixed, 21 -> 21). Setting the threshold
explicitly turns that adjustment off.

**Arenas** (``share_arenas``). glibc gives each new thread that allocates an arena of its own, up
to 8 per core, and an arena keeps what it once held resident for the next allocations of its
threads. A server's worker threads (the hasher's, the database drivers': aiosqlite runs a thread
per connection) allocate little and seldom at the same time — most of their work waits for the
GIL, or runs in SQLite or Argon2 on memory they already hold — so a few shared arenas serve them
as well as one each, and cost a few arenas' memory instead of one per thread (0.3 to 0.5 MiB each,
bench/bench_memory.py). Past the cap glibc hands the existing arenas out in turn.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable

_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
# Blocks from 1 MiB up are mapped and unmapped on their own: hashes' memory, large buffers.
MMAP_THRESHOLD_BYTES = 1024 * 1024
# The main arena and one more, shared by every thread.
ARENAS = 2

_done: set[int] = set()


def _mallopt() -> Callable[[int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt: Callable[[int, int], int] = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt, and no such behaviour
        return None
    return mallopt


def _set_once(option: int, value: int) -> bool:
    if option in _done:
        return True
    mallopt = _mallopt()
    if mallopt is not None and mallopt(option, value):
        _done.add(option)
    return option in _done


def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold (once per process); False where there is no glibc."""
    return _set_once(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def share_arenas() -> bool:
    """Cap glibc's arenas at ``ARENAS`` (once per process); False where there is no glibc.

    Call it before the process starts its worker threads: glibc settles its limit when the ninth
    arena would be made, and arenas made before the cap stay."""
    return _set_once(_M_ARENA_MAX, ARENAS)
