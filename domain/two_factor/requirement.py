"""An organization makes two-factor login mandatory for its members (PRODUCT.md §1).

Only its Super Admin (``Action.ORGANIZATION_UPDATE``), and only once the Super Admin's own account
has TOTP (as GitHub asks of an organization owner): whoever turns the requirement on must not be
the first one locked out by it. The requirement acts at each member's next login: a member
without TOTP must set it up before the login completes (domain/login/service.py); a member of
several organizations is bound if any of them requires it. Sessions already open are not ended.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import UserError
from domain.organizations.requirement import set_sign_in_requirement
from domain.two_factor import errors, repository


async def set_requirement(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    required: bool,
) -> Organization:
    async def meets_it_first() -> None:
        own = await session.run_sync(lambda s: repository.totp_row(s, principal.user_id))
        if own is None or own.enabled_at is None:
            raise UserError(
                errors.TOTP_NOT_ENABLED,
                "Turn on two-factor login for your own account before requiring it.",
                ("input", "required"),
            )

    async def store(org_id: uuid.UUID) -> bool:
        return await session.run_sync(lambda s: repository.set_requirement(s, org_id, required))

    return await set_sign_in_requirement(
        session,
        principal,
        meta,
        organization_id=organization_id,
        required=required,
        event="organization.two_factor_requirement_changed",
        meets_it_first=meets_it_first,
        store=store,
    )
