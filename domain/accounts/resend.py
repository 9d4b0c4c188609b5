"""Resending the activation email.

The answer is ``accepted`` whatever the address: unknown, pending, active or disabled. Only the
mailbox learns which: a pending account gets a new link and code (the old link dies; the failure
count of the account does not reset), an active one an "already registered" notice pointing to
sign-in, an unknown or disabled one nothing. The mail guard silently caps all of it per recipient,
and every one of these paths sends the same statements (domain.accounts.known_address).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.accounts import limits, repository
from domain.accounts.known_address import tell_owner
from domain.context import RequestMeta
from domain.enums import UserStatus

if TYPE_CHECKING:
    from runtime import Services


async def resend_activation(services: Services, email: str, meta: RequestMeta) -> None:
    settings = services.settings
    normalized = await limits.email_request(
        services,
        email,
        meta,
        "resend",
        address_limit=settings.rate_limit_resend_per_address,
        account_limit=settings.rate_limit_resend,
    )
    await services.secrets.account_code_key()  # before the transaction (domain.secrets)
    async with services.db.unit_of_work() as session:
        found = await repository.user_by_email(session, normalized)
        # A disabled account is told nothing: rehearsed like an unknown address.
        user = found if found is not None and found.status is not UserStatus.DISABLED else None
        await tell_owner(session, services, user, meta, action="activation_resend")
