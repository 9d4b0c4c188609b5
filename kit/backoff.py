"""Exponential backoff with jitter, shared by the outbox workers (mail and webhooks)."""

from __future__ import annotations

import random


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with "equal jitter": a random time in [d/2, d], d = min(cap,
    base * 2**(attempt-1)). Jitter spreads the retries of many items (and workers) that failed
    together; the lower half-bound keeps the delay growing. The exponent stops at 40 so that a
    very long outage cannot overflow the float (the cap is reached long before)."""
    delay = min(cap, base * 2 ** max(0, min(attempt - 1, 40)))
    return rng.uniform(delay / 2, delay)
