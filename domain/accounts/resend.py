"""Resending the activation email.

The answer is ``accepted`` whatever the address: unknown, pending, active or disabled. Only the
mailbox learns which: a pending account gets a new link and code (the old link dies; the failure
count of the account does not reset), an active one an "already registered" notice pointing to
sign-in, an unknown or disabled one nothing. The mail guard silently caps all of it per recipient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.accounts import limits, repository
from domain.accounts.mailing import send_activation
from domain.accounts.registration import tell_existing_owner
from domain.accounts.rehearsal import rehearse, stand_in_user
from domain.accounts.validation import clean_email
from domain.context import RequestMeta
from domain.enums import UserStatus
from domain.errors import Validator

if TYPE_CHECKING:
    from runtime import Services


async def resend_activation(services: Services, email: str, meta: RequestMeta) -> None:
    settings = services.settings
    v = Validator()
    normalized = clean_email(v, "email", email, allow_test_domains=not settings.production)
    v.raise_if_any()
    assert normalized is not None
    await limits.per_address(
        services.limiter, settings.rate_limit_resend_per_address, "resend", meta
    )
    await limits.per_account(services.limiter, settings.rate_limit_resend, "resend", normalized)
    code_key = await services.secrets.account_code_key()  # before the transaction
    async with services.db.unit_of_work() as session:
        user = await repository.user_by_email(session, normalized)
        if user is None or user.status is UserStatus.DISABLED:
            # What a pending account's resend costs, without its effects (see rehearsal).
            async def work() -> None:
                stand_in = await stand_in_user(session, "Rehearsal", "Rehearsal")
                await send_activation(
                    session, settings, user=stand_in, code_key=code_key, organization_name=None
                )

            await rehearse(session, work)
            return
        await tell_existing_owner(session, services, user, meta, action="activation_resend")
