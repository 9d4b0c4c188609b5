"""An organization requires phishing-resistant sign-in of its members: a passkey (SSO, where an
organization has it, is the other phishing-resistant way; a password with a TOTP code is not).

Only its Super Admin (``Action.ORGANIZATION_UPDATE``), and only once the Super Admin's own
account has a passkey: whoever turns it on must not be the first one held up by it. It acts at
each member's next password login (domain/login/service.py ``second_step``): a member with a
passkey must use it, one without adds one before the login completes. Sessions already open are
not ended.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import UserError
from domain.organizations.requirement import set_sign_in_requirement
from domain.passkeys import errors, repository


async def set_requirement(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    required: bool,
) -> Organization:
    async def meets_it_first() -> None:
        if await repository.count_of(session, principal.user_id) == 0:
            raise UserError(
                errors.PASSKEY_NOT_REGISTERED,
                "Add a passkey to your own account before requiring passkeys.",
                ("input", "required"),
            )

    return await set_sign_in_requirement(
        session,
        principal,
        meta,
        organization_id=organization_id,
        required=required,
        event="organization.passkey_requirement_changed",
        meets_it_first=meets_it_first,
        store=lambda org_id: repository.set_requirement(session, org_id, required),
    )
