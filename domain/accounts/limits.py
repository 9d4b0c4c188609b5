"""Rate limits of the account flows, per client address and per account.

A refusal here is visible (``RATE_LIMITED``) and that leaks nothing: the counters depend only on
the requests made — the same for a known and an unknown email — never on whether an account
exists. What does depend on the account (how many mails went to it) is the mail guard's business,
and that one is silent (domain.accounts.mailing).
"""

from __future__ import annotations

from domain.context import RequestMeta
from domain.errors import RateLimited
from kit.ratelimit import RateLimiter


async def per_address(limiter: RateLimiter, limit: str, action: str, meta: RequestMeta) -> None:
    """Count one ``action`` from this client address; refuse past ``limit``."""
    if meta.client_address and not await limiter.hit(limit, action, "address", meta.client_address):
        raise RateLimited()


async def per_account(limiter: RateLimiter, limit: str, action: str, account: str) -> None:
    """Count one ``action`` for this account (a normalized email or a user id)."""
    if not await limiter.hit(limit, action, "account", account):
        raise RateLimited()


async def failures_allowed(
    limiter: RateLimiter, limit: str, action: str, meta: RequestMeta
) -> None:
    """Refuse when this address already failed ``action`` ``limit`` times. Counts nothing: only
    failures count (``count_failure``), so that honest traffic from a shared address is free."""
    if meta.client_address and not await limiter.test(
        limit, f"{action}-failure", "address", meta.client_address
    ):
        raise RateLimited()


async def count_failure(limiter: RateLimiter, limit: str, action: str, meta: RequestMeta) -> None:
    if meta.client_address:
        await limiter.hit(limit, f"{action}-failure", "address", meta.client_address)
