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
from domain.accounts.rehearsal import rehearse_for_stand_in
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
    code_key = await services.secrets.account_code_key()  # before the transaction
    async with services.db.unit_of_work() as session:
        user = await repository.user_by_email(session, normalized)
        if user is None or user.status is UserStatus.DISABLED:
            # What a pending account's resend costs, without its effects (see rehearsal).
            await rehearse_for_stand_in(
                session,
                lambda stand_in: send_activation(
                    session, settings, user=stand_in, code_key=code_key, organization_name=None
                ),
            )
            return
        await tell_existing_owner(session, services, user, meta, action="activation_resend")
