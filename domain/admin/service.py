"""The internal admin console's use cases: searching organizations, seeing one in full
(``ORGANIZATION_READ_ANY``), suspending and reactivating them (``ORGANIZATION_SUSPEND``).

* Search: ``search`` matches part of the name, part of a member's email or part of a partner's
  STEP code (any case), or — when it is a UUID — the organization's id; ``type`` and ``status``
  narrow it. Newest first (keyset on the UUIDv7 id): the console's first page shows the latest
  sign-ups. Deleted organizations are left out: their rows stay for the audit log only.
* A suspended organization's members can neither log in (domain.login, and no token is issued or
  refreshed for them: identity.oauth.store) nor use the tokens they hold: every request reads the
  principal's organizations afresh and leaves suspended ones out (domain.authz.repository). A
  suspended partner's technicians lose their customers the same way. Nothing is deleted or
  revoked, so reactivating restores everything as it was. Racing suspensions (or reactivations)
  end one way: conditional UPDATEs under the row lock; the loser gets ``ALREADY_SUSPENDED`` /
  ``NOT_SUSPENDED``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization
from domain.accounts.validation import clean_text
from domain.admin import errors
from domain.admin import repository as repo
from domain.audit.service import record_by
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.context import RequestMeta
from domain.enums import OrganizationStatus, OrganizationType
from domain.errors import NotFound, Validator
from domain.partners import repository as partners_repo
from kit.clock import utcnow
from kit.ids import parse_uuid
from kit.pagination import Page, PageRequest, make_page

# --- searching and reading ------------------------------------------------------------------------


async def search_organizations(
    session: AsyncSession,
    principal: Principal,
    *,
    search: str | None,
    kind: OrganizationType | None,
    status: OrganizationStatus | None,
    page: PageRequest,
) -> tuple[Page[Organization], repo.OrganizationFilter]:
    """A page of organizations, and the filter (for ``totalCount``)."""
    require_global(principal, GlobalAction.ORGANIZATION_READ_ANY)
    term = (search or "").strip() or None
    where = repo.OrganizationFilter(
        text=term, organization_id=parse_uuid(term), kind=kind, status=status
    )
    rows = await repo.search_organizations(session, where, before=page.after, limit=page.first + 1)
    return make_page(rows, page), where


async def count_organizations(session: AsyncSession, where: repo.OrganizationFilter) -> int:
    return await repo.count_organizations(session, where)


async def get_organization(
    session: AsyncSession, principal: Principal, raw_id: str
) -> Organization | None:
    """The organization, or None when there is none with this id (or it is not even a UUID)."""
    require_global(principal, GlobalAction.ORGANIZATION_READ_ANY)
    organization_id = parse_uuid(raw_id)
    if organization_id is None:
        return None
    return await partners_repo.live_organization(session, organization_id)


# --- suspending and reactivating ------------------------------------------------------------------


REASON_MAX = 500  # organization.suspended_reason


async def _organization(session: AsyncSession, principal: Principal, raw_id: str) -> Organization:
    require_global(principal, GlobalAction.ORGANIZATION_SUSPEND)
    organization_id = parse_id(raw_id, "organization", errors.ORGANIZATION_FIELD)
    organization = await repo.lock_live_organization(session, organization_id)
    if organization is None:
        raise NotFound("organization", errors.ORGANIZATION_FIELD)
    return organization


async def suspend_organization(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str,
    reason: str,
) -> Organization:
    require_global(principal, GlobalAction.ORGANIZATION_SUSPEND)
    v = Validator(("input",))
    cleaned = clean_text(v, "reason", reason, label="Reason", max_length=REASON_MAX, multiline=True)
    v.raise_if_any()
    assert cleaned is not None
    organization = await _organization(session, principal, organization_id)
    if organization.type is OrganizationType.INTERNAL:
        raise errors.cannot_suspend_internal()
    previous = organization.status
    if not await repo.suspend(session, organization.id, reason=cleaned, now=utcnow()):
        raise errors.already_suspended()
    await record_by(
        session,
        principal,
        meta,
        "organization.suspended",
        target=("organization", organization.id),
        organization_id=organization.id,
        details={"reason": cleaned, "previous_status": previous.value},
    )
    return await _reloaded(session, organization)


async def reactivate_organization(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, organization_id: str
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
        raise errors.not_suspended()
    await record_by(
        session,
        principal,
        meta,
        "organization.reactivated",
        target=("organization", organization.id),
        organization_id=organization.id,
        details={"status": status.value, "suspended_reason": reason},
    )
    return await _reloaded(session, organization)


async def _reloaded(session: AsyncSession, organization: Organization) -> Organization:
    fresh = await repo.lock_live_organization(session, organization.id)
    assert fresh is not None
    return fresh
