"""An organization makes two-factor login mandatory for its members (PRODUCT.md §1).

Only its Super Admin (``Action.ORGANIZATION_UPDATE``), and only once the Super Admin's own account
has TOTP (as GitHub asks of an organization owner): whoever turns the requirement on must not be
the first one locked out by it. The requirement acts at each member's next login: a member
without TOTP must set it up before the login completes (domain/login/service.py); a member of
several organizations is bound if any of them requires it. Sessions already open are not ended.
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
from domain.two_factor import errors, repository

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
    if required:
        own = await session.run_sync(lambda s: repository.totp_row(s, principal.user_id))
        if own is None or own.enabled_at is None:
            raise UserError(
                errors.TOTP_NOT_ENABLED,
                "Turn on two-factor login for your own account before requiring it.",
                ("input", "required"),
            )
    changed = await session.run_sync(
        lambda s: repository.set_requirement(s, access.organization_id, required)
    )
    organization = await organizations_repo.organization_by_id(session, access.organization_id)
    if organization is None:
        raise NotFound("organization", ORGANIZATION_FIELD)
    if changed:
        await record_by(
            session,
            principal,
            meta,
            "organization.two_factor_requirement_changed",
            target=("organization", organization.id),
            organization_id=organization.id,
            details={"required": required},
        )
        await session.refresh(organization)
    return organization
