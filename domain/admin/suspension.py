"""Internal admins suspend and reactivate organizations (``ORGANIZATION_SUSPEND``).

A suspended organization's members can neither log in (domain.login, and no token is issued or
refreshed for them: identity.oauth.store) nor use the tokens they hold: every request reads the
principal's organizations afresh and leaves suspended ones out (domain.authz.repository). A
suspended partner's technicians lose their customers the same way. Nothing is deleted or revoked,
so reactivating restores everything as it was.

Racing suspensions (or reactivations) end one way: conditional UPDATEs under the row lock; the
loser gets ``ALREADY_SUSPENDED`` / ``NOT_SUSPENDED``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization
from domain.accounts.validation import clean_text
from domain.admin import repository as repo
from domain.audit.service import record
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.context import RequestMeta
from domain.enums import OrganizationStatus, OrganizationType
from domain.errors import NotFound, UserError, Validator
from kit.clock import utcnow

ALREADY_SUSPENDED = "ALREADY_SUSPENDED"
NOT_SUSPENDED = "NOT_SUSPENDED"
CANNOT_SUSPEND_INTERNAL = "CANNOT_SUSPEND_INTERNAL"
REASON_MAX = 500  # organization.suspended_reason
_FIELD = ("input", "organizationId")


async def _organization(session: AsyncSession, principal: Principal, raw_id: str) -> Organization:
    require_global(principal, GlobalAction.ORGANIZATION_SUSPEND)
    organization_id = parse_id(raw_id, "organization", _FIELD)
    organization = await repo.lock_live_organization(session, organization_id)
    if organization is None:
        raise NotFound("organization", _FIELD)
    return organization


async def suspend_organization(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str,
    reason: str,
    meta: RequestMeta,
) -> Organization:
    require_global(principal, GlobalAction.ORGANIZATION_SUSPEND)
    v = Validator(("input",))
    cleaned = clean_text(v, "reason", reason, label="Reason", max_length=REASON_MAX, multiline=True)
    v.raise_if_any()
    assert cleaned is not None
    organization = await _organization(session, principal, organization_id)
    if organization.type is OrganizationType.INTERNAL:
        raise UserError(
            CANNOT_SUSPEND_INTERNAL, "The vendor's own organization cannot be suspended.", _FIELD
        )
    previous = organization.status
    if not await repo.suspend(session, organization.id, reason=cleaned, now=utcnow()):
        raise UserError(ALREADY_SUSPENDED, "This organization is already suspended.", _FIELD)
    await record(
        session,
        "organization.suspended",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=organization.id,
        target_type="organization",
        target_id=organization.id,
        details={"reason": cleaned, "previous_status": previous.value},
    )
    return await _reloaded(session, organization)


async def reactivate_organization(
    session: AsyncSession, principal: Principal, *, organization_id: str, meta: RequestMeta
) -> Organization:
    organization = await _organization(session, principal, organization_id)
    # Back to what it was: ACTIVE, or PENDING when its Super Admin had never activated.
    status = (
        OrganizationStatus.ACTIVE
        if organization.activated_at is not None
        else OrganizationStatus.PENDING
    )
    reason = organization.suspended_reason
    if not await repo.reactivate(session, organization.id, status=status):
        raise UserError(NOT_SUSPENDED, "This organization is not suspended.", _FIELD)
    await record(
        session,
        "organization.reactivated",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=organization.id,
        target_type="organization",
        target_id=organization.id,
        details={"status": status.value, "suspended_reason": reason},
    )
    return await _reloaded(session, organization)


async def _reloaded(session: AsyncSession, organization: Organization) -> Organization:
    fresh = await repo.lock_live_organization(session, organization.id)
    assert fresh is not None
    return fresh
