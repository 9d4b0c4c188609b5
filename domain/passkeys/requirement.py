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
from domain.audit.service import record_by
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.errors import NotFound, UserError
from domain.organizations import repository as organizations_repo
from domain.passkeys import errors, repository

ORGANIZATION_FIELD = ("input", "organizationId")


async def set_requirement(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    required: bool,
) -> Organization:
    access = await organization_access(
        session, principal, organization_id, Action.ORGANIZATION_UPDATE, field=ORGANIZATION_FIELD
    )
    if required and await repository.count_of(session, principal.user_id) == 0:
        raise UserError(
            errors.PASSKEY_NOT_REGISTERED,
            "Add a passkey to your own account before requiring passkeys.",
            ("input", "required"),
        )
    changed = await repository.set_requirement(session, access.organization_id, required)
    organization = await organizations_repo.organization_by_id(session, access.organization_id)
    if organization is None:
        raise NotFound("organization", ORGANIZATION_FIELD)
    if changed:
        await record_by(
            session,
            principal,
            meta,
            "organization.passkey_requirement_changed",
            target=("organization", organization.id),
            organization_id=organization.id,
            details={"required": required},
        )
        await session.refresh(organization)
    return organization
