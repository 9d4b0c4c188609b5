"""What an organization's sign-in requirements share (two-factor login, passkeys: see
domain/two_factor/requirement.py and domain/passkeys/requirement.py): only its Super Admin sets
one (``Action.ORGANIZATION_UPDATE``), only once the Super Admin's own account meets it, and a
change is audited."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization
from domain.audit.service import record_by
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.errors import NotFound
from domain.organizations import repository
from domain.organizations.errors import ORGANIZATION_FIELD


async def set_sign_in_requirement(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    required: bool,
    event: str,
    meets_it_first: Callable[[], Awaitable[None]],
    store: Callable[[uuid.UUID], Awaitable[bool]],
) -> Organization:
    """Turn a requirement on or off. ``meets_it_first`` runs only when turning it on and raises
    the area's ``UserError`` when the principal's own account does not meet it; ``store`` writes
    the setting for the organization id and says whether it changed (only a change is audited,
    as ``event``)."""
    access = await organization_access(
        session, principal, organization_id, Action.ORGANIZATION_UPDATE, field=ORGANIZATION_FIELD
    )
    if required:
        await meets_it_first()
    changed = await store(access.organization_id)
    organization = await repository.organization_by_id(session, access.organization_id)
    if organization is None:
        raise NotFound("organization", ORGANIZATION_FIELD)
    if changed:
        await record_by(
            session,
            principal,
            meta,
            event,
            target=("organization", organization.id),
            organization_id=organization.id,
            details={"required": required},
        )
        await session.refresh(organization)
    return organization
