"""Time-ordered UUIDs (RFC 9562 version 7).

Primary keys are UUIDv7 so that ordering by id is ordering by creation: keyset pagination needs
no second column, and B-tree inserts stay at the right edge of the index.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """A UUIDv7 that is strictly increasing within this process."""
    global _last_ms, _counter
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms <= _last_ms:
            # Same (or earlier) millisecond: bump the 12-bit counter, spilling into the clock.
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = 0
            now_ms = _last_ms
        else:
            _last_ms = now_ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (now_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """An id sent by a client, or None when it is not a UUID (which then behaves as missing)."""
    if value is None or len(value) > 64:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
