"""Resending the activation email.

The answer is ``accepted`` whatever the address: unknown, pending, active or disabled. Only the
mailbox learns which: a pending account gets a new link and code (the old link dies; the failure
count of the account does not reset), an active one an "already registered" notice pointing to
sign-in, an unknown or disabled one nothing. The mail guard silently caps all of it per recipient,
and every one of these paths sends the same statements (domain.accounts.known_address).
"""

from __future__ import annotations

from domain.accounts import limits, repository
from domain.accounts.known_address import tell_owner
from domain.context import RequestMeta
from domain.dependencies import SignupDeps
from domain.enums import UserStatus


async def resend_activation(deps: SignupDeps, meta: RequestMeta, email: str) -> None:
    settings = deps.settings
    normalized = await limits.email_request(
        deps,
        email,
        meta,
        "resend",
        address_limit=settings.rate_limit_resend_per_address,
        account_limit=settings.rate_limit_resend,
    )
    await deps.secrets.account_code_key()  # before the transaction (domain.secrets)
    async with deps.db.unit_of_work() as session:
        found = await repository.user_by_email(session, normalized)
        # A disabled account is told nothing: rehearsed like an unknown address.
        user = found if found is not None and found.status is not UserStatus.DISABLED else None
        await tell_owner(session, deps, user, meta, action="activation_resend")
