"""Rate limits of the account flows, per client address and per account.

A refusal here is visible (``RATE_LIMITED``) and that leaks nothing: the counters depend only on
the requests made — the same for a known and an unknown email — never on whether an account
exists. What does depend on the account (how many mails went to it) is the mail guard's business,
and that one is silent (domain.accounts.mailing).
"""

from __future__ import annotations

from domain.accounts.validation import clean_email
from domain.context import RequestMeta
from domain.dependencies import LimitDeps
from domain.errors import RateLimited, Validator
from kit.ratelimit import RateLimiter, Reservation


async def per_address(limiter: RateLimiter, limit: str, action: str, meta: RequestMeta) -> None:
    """Count one ``action`` from this client address; refuse past ``limit``."""
    if meta.client_address and not await limiter.hit(limit, action, "address", meta.client_address):
        raise RateLimited()


async def per_account(limiter: RateLimiter, limit: str, action: str, account: str) -> None:
    """Count one ``action`` for this account (a normalized email or a user id)."""
    if not await limiter.hit(limit, action, "account", account):
        raise RateLimited()


async def email_request(
    deps: LimitDeps,
    email: str,
    meta: RequestMeta,
    action: str,
    *,
    address_limit: str,
    account_limit: str,
) -> str:
    """The normalized address of a request that takes an email alone (resend, password reset),
    counted from this client address and for that address. ``UserErrors`` (field ``email``) when
    it is missing or malformed — before anything is counted."""
    v = Validator()
    normalized = clean_email(v, "email", email, allow_test_domains=not deps.settings.production)
    v.raise_if_any()
    assert normalized is not None
    await per_address(deps.limiter, address_limit, action, meta)
    await per_account(deps.limiter, account_limit, action, normalized)
    return normalized


async def failure_budget(
    limiter: RateLimiter, limit: str, action: str, meta: RequestMeta
) -> Reservation:
    """Reserve one failure of ``action`` for this client address before the attempt is evaluated;
    refuse past ``limit``. Only failures count, so that honest traffic from a shared address is
    free: evaluate inside ``async with`` and ``keep()`` the reservation when the attempt failed."""
    address = meta.client_address
    budgets = [(limit, f"{action}-failure", "address", address)] if address else []
    reservation = await limiter.reserve(*budgets)
    if reservation is None:
        raise RateLimited()
    return reservation
