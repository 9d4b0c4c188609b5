"""Large allocations given back to the system when freed (glibc).

glibc serves a block of at least ``M_MMAP_THRESHOLD`` (128 KiB) with its own ``mmap`` and unmaps it
on free — but after the first such block is freed it raises the threshold to that block's size
(up to 32 MiB), so every later block of that size comes from the allocating thread's arena and
stays resident there after it is freed. Argon2id allocates ``argon2_memory_kib`` (19 MiB) per hash
in whichever worker thread runs it: each thread that ever hashed kept 19 MiB, about 100 MiB per
process after a minute of logins (measured: 16 hashes on 6 threads, 21 -> 135 MiB resident; with
the threshold fixed, 21 -> 21). Setting the threshold explicitly turns that adjustment off.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_MMAP_THRESHOLD = -3
# Blocks from 1 MiB up are mapped and unmapped on their own: hashes' memory, large buffers.
MMAP_THRESHOLD_BYTES = 1024 * 1024

_done = False


def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold (once per process); False where there is no glibc."""
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt, and no such adjustment
        return False
    _done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    return _done
