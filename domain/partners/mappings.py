"""Partner-customer mappings: a customer invites one partner by its STEP code, the partner's
admins accept or decline, and either side ends the mapping at any time (PRODUCT.md §1).

* Who: the customer's Super Admin invites and ends (``PARTNER_ACCESS_MANAGE``); the partner's
  Super Admin and Admins accept, decline and end (``CUSTOMER_MANAGE``). A mapping of
  organizations the principal has no path to is exactly as missing as one that never existed.
* One partner per customer: an INVITED or ACTIVE mapping holds the place (the partial unique
  index ``uq_partner_mapping_one_per_customer``, so two racing invitations end one way).
* The STEP code: an unknown code, a revoked one and one whose partner is not active (pending,
  suspended, deleted) all get the join form's ``INVALID_STEP_CODE`` — a customer can do nothing
  different about them, and one answer tells a code-guesser the least. Refusals are audited and
  counted per client address like the join form's (``rate_limit_step_code``).
* Ending takes effect on the very next request: access is read fresh on every request
  (domain.authz.repository reaches customers only through ACTIVE mappings).
* Every change is audited in both organizations' logs (each side's admins read their own).
* Ending a mapping ends what it set in motion (SECURITY.md). The partner's technicians may invite
  USER members into the customer (PRODUCT.md §2: they "manage licenses and users there"); their
  invitations and the memberships they lead to carry the mapping (``partner_mapping_id``).
  Ending the mapping cancels every invitation still pending, and removes the members partner
  staff brought in (``Member.addedByPartner``) — unless the customer's Super Admin, ending it,
  says to keep them (``removeMembersAddedByPartner: false``): the customer's decision, never the
  partner's, whose staff set it in motion. The customer's Super Admin is never removed (the first
  member of a managed customer is its owner). Removed members lose access with their next request;
  one left in no organization is also signed out everywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation, PartnerMapping
from domain.accounts import limits
from domain.accounts import repository as accounts_repo
from domain.audit.service import record, record_by
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.dependencies import LimitedStoreDeps
from domain.enums import PartnerAccessScope, PartnerMappingStatus
from domain.errors import Forbidden, NotFound, UserError, Validator
from domain.members import repository as members_repo
from domain.partners import errors
from domain.partners import repository as repo
from domain.partners.step_codes import normalize_step_code
from kit.clock import utcnow
from kit.pagination import Page, PageRequest, make_page

_CODE_FIELD = ("input", "stepPartnerCode")
_MAPPING_FIELD = ("input", "mappingId")
_INVALID_CODE_MESSAGE = (
    "This STEP partner code does not belong to an active STEP partner. Ask your partner for "
    "their code."
)


async def record_mapping_event(
    session: AsyncSession,
    action: str,
    mapping: PartnerMapping,
    principal: Principal,
    meta: RequestMeta,
    *,
    target: tuple[str, uuid.UUID] | None = None,
    **details: Any,
) -> None:
    """One event in each side's log: both organizations' admins see what touched their access.
    The target is the mapping unless another is named (a technician: ``("user", id)``)."""
    target_type, target_id = target or ("partner_mapping", mapping.id)
    for organization_id in (mapping.customer_organization_id, mapping.partner_organization_id):
        await record_by(
            session,
            principal,
            meta,
            action,
            target=(target_type, target_id),
            organization_id=organization_id,
            details={
                "partner_organization_id": str(mapping.partner_organization_id),
                "customer_organization_id": str(mapping.customer_organization_id),
                **details,
            },
        )


# --- the grant (domain.partners.access builds on these) -------------------------------------------

DEFAULT_GRANT = timedelta(days=365)
MAX_GRANT = timedelta(days=730)
DEFAULT_SCOPE = PartnerAccessScope.DEVICES_LICENSES_USERS


@dataclass(frozen=True, slots=True)
class Terms:
    """What a customer asked for; ``None`` takes the default."""

    scope: PartnerAccessScope | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    scope: PartnerAccessScope
    expires_at: datetime


def check_end_date(
    v: Validator, field: str, end: datetime, now: datetime, *, after: datetime | None = None
) -> None:
    """An end date must lie ahead (and after ``after``, the current end, for an extension), and
    at most two years from now."""
    if end.tzinfo is None:
        v.add(field, errors.INVALID_ACCESS_END_DATE, "Give the end date with a time zone.")
    elif end <= (after if after is not None and after > now else now):
        v.add(
            field,
            errors.ACCESS_END_DATE_TOO_EARLY,
            "The end date must be later than the current one."
            if after is not None
            else "The end date must be in the future.",
        )
    elif end > now + MAX_GRANT:
        v.add(
            field,
            errors.ACCESS_END_DATE_TOO_LATE,
            "Partner access can be granted for at most two years from today.",
        )


def grant_terms(terms: Terms, now: datetime) -> Grant:
    """The grant a customer gives: its terms with the defaults (every power, one year) for what
    it left out; raises userErrors on ``input.accessExpiresAt``."""
    end = terms.expires_at if terms.expires_at is not None else now + DEFAULT_GRANT
    v = Validator(("input",))
    check_end_date(v, "accessExpiresAt", end, now)
    v.raise_if_any()
    return Grant(terms.scope or DEFAULT_SCOPE, end)


# --- invite ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Invitation:
    """An invitation attempt: the mapping, or a refusal whose audit event must be committed
    before it is raised (raising inside the transaction would roll the event back)."""

    mapping: PartnerMapping | None
    refusal: UserError | None = None


async def invite_partner(
    deps: LimitedStoreDeps,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    step_partner_code: str,
    access_scope: PartnerAccessScope | None = None,
    access_expires_at: datetime | None = None,
) -> PartnerMapping:
    """Invite the partner under a grant (domain.partners.access: scope and end date, each
    defaulted when not given)."""
    settings = deps.settings
    code = normalize_step_code(step_partner_code)
    budget = await limits.failure_budget(
        deps.limiter, settings.rate_limit_step_code, "step-code", meta
    )
    async with budget:  # given back unless the code is refused
        async with deps.db.unit_of_work() as session:
            outcome = await _invite(
                session,
                principal,
                organization_id,
                code,
                meta,
                Terms(access_scope, access_expires_at),
            )
        if outcome.refusal is not None:
            budget.keep()
            raise outcome.refusal
    assert outcome.mapping is not None
    return outcome.mapping


async def _invite(
    session: AsyncSession,
    principal: Principal,
    organization_id: str | None,
    code: str | None,
    meta: RequestMeta,
    terms: Terms,
) -> _Invitation:
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.PARTNER_ACCESS_MANAGE,
        field=("input", "organizationId"),
    )
    customer_id = access.organization_id
    grant = grant_terms(terms, utcnow())
    # Before the code is looked at: a customer that may not invite anyone learns nothing about
    # codes (and cannot use this as a code oracle).
    if await repo.current_mapping_of_customer(session, customer_id) is not None:
        raise errors.partner_already_mapped()
    partner = await repo.active_partner_by_code(session, code) if code else None
    if partner is None:
        await record(
            session,
            "partner_mapping.invite_refused",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            organization_id=customer_id,
            target_type="step_partner_code",
            details={"reason": "invalid_code", "code": code},
        )
        return _Invitation(
            None, UserError(errors.INVALID_STEP_CODE, _INVALID_CODE_MESSAGE, _CODE_FIELD)
        )
    mapping = PartnerMapping(
        partner_organization_id=partner.id,
        customer_organization_id=customer_id,
        status=PartnerMappingStatus.INVITED,
        created_by_id=principal.user_id,
        access_scope=grant.scope,
        access_expires_at=grant.expires_at,
    )
    if not await repo.add_mapping(session, mapping):
        # Another invitation (or a managed mapping) won the race for the one place.
        raise errors.partner_already_mapped()
    for action in ("partner_mapping.invited", "partner_access.granted"):
        await record_mapping_event(
            session,
            action,
            mapping,
            principal,
            meta,
            access_scope=grant.scope.value,
            access_expires_at=grant.expires_at.isoformat(),
        )
    return _Invitation(mapping)


# --- the partner's answer -------------------------------------------------------------------------


def parse_mapping_id(raw: str, field: Sequence[str] = _MAPPING_FIELD) -> uuid.UUID:
    return parse_id(raw, "partner mapping", field)


async def _mapping_for_partner_admin(
    session: AsyncSession, principal: Principal, raw_id: str
) -> PartnerMapping:
    """The mapping, locked, if the principal manages its partner's customers."""
    mapping = await repo.mapping_by_id(session, parse_mapping_id(raw_id), for_update=True)
    return await managed_by_principal(
        session, principal, mapping, "partner mapping", _MAPPING_FIELD
    )


async def managed_by_principal(
    session: AsyncSession,
    principal: Principal,
    mapping: PartnerMapping | None,
    what: str,
    field: Sequence[str],
) -> PartnerMapping:
    """The mapping, if the principal manages its partner's customers (``CUSTOMER_MANAGE``); else,
    or when there is none, exactly the answer for a missing ``what``."""
    if mapping is None:
        raise NotFound(what, field)
    try:
        await organization_access(
            session, principal, mapping.partner_organization_id, Action.CUSTOMER_MANAGE
        )
    except NotFound:
        raise NotFound(what, field) from None
    return mapping


async def accept_invitation(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, mapping_id: str
) -> PartnerMapping:
    mapping = await _mapping_for_partner_admin(session, principal, mapping_id)
    now = utcnow()
    won = mapping.status is PartnerMappingStatus.INVITED and await repo.change_status(
        session,
        mapping.id,
        from_statuses=[PartnerMappingStatus.INVITED],
        values={"status": PartnerMappingStatus.ACTIVE, "accepted_at": now},
    )
    if not won:
        raise errors.invitation_not_pending()
    fresh = await _reloaded(session, mapping.id)
    await record_mapping_event(session, "partner_mapping.accepted", fresh, principal, meta)
    return fresh


async def decline_invitation(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, mapping_id: str
) -> PartnerMapping:
    mapping = await _mapping_for_partner_admin(session, principal, mapping_id)
    won = mapping.status is PartnerMappingStatus.INVITED and await repo.change_status(
        session,
        mapping.id,
        from_statuses=[PartnerMappingStatus.INVITED],
        values={
            "status": PartnerMappingStatus.ENDED,
            "ended_at": utcnow(),
            "ended_by_id": principal.user_id,
        },
    )
    if not won:
        raise errors.invitation_not_pending()
    fresh = await _reloaded(session, mapping.id)
    await record_mapping_event(session, "partner_mapping.declined", fresh, principal, meta)
    return fresh


# --- ending ---------------------------------------------------------------------------------------


async def _side_of(session: AsyncSession, principal: Principal, mapping: PartnerMapping) -> str:
    """Which side the principal ends the mapping for: the customer's Super Admin, or the partner's
    admins. No path to either side: ``NotFound``; a path without the right: ``Forbidden``."""
    refused = False
    for side, organization_id, action in (
        ("customer", mapping.customer_organization_id, Action.PARTNER_ACCESS_MANAGE),
        ("partner", mapping.partner_organization_id, Action.CUSTOMER_MANAGE),
    ):
        try:
            await organization_access(session, principal, organization_id, action)
        except NotFound:
            continue
        except Forbidden:
            refused = True
            continue
        return side
    if refused:
        raise Forbidden("PARTNER_MAPPING_END")
    raise NotFound("partner mapping", _MAPPING_FIELD)


async def end_mapping(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    mapping_id: str,
    remove_members_added_by_partner: bool = True,
) -> PartnerMapping:
    """End an ACTIVE mapping or withdraw an invitation. The partner may not walk away from a
    customer that has no Super Admin yet (nobody could reach it afterwards). What partner staff
    set in motion ends too (module doc); only the customer's side may keep the members."""
    mapping = await repo.mapping_by_id(session, parse_mapping_id(mapping_id), for_update=True)
    if mapping is None:
        raise NotFound("partner mapping", _MAPPING_FIELD)
    side = await _side_of(session, principal, mapping)
    if mapping.status is PartnerMappingStatus.ENDED:
        raise errors.mapping_already_ended()
    if (
        side == "partner"
        and mapping.status is PartnerMappingStatus.ACTIVE
        and not await members_repo.has_super_admin(session, mapping.customer_organization_id)
    ):
        raise errors.customer_has_no_super_admin()
    previous = mapping.status
    won = await repo.change_status(
        session,
        mapping.id,
        from_statuses=[PartnerMappingStatus.INVITED, PartnerMappingStatus.ACTIVE],
        values={
            "status": PartnerMappingStatus.ENDED,
            "ended_at": utcnow(),
            "ended_by_id": principal.user_id,
        },
    )
    if not won:
        raise errors.mapping_already_ended()
    fresh = await _reloaded(session, mapping.id)
    remove = remove_members_added_by_partner or side == "partner"
    cancelled, removed = await end_what_partner_staff_started(
        session, fresh, principal, meta, remove_members=remove
    )
    await record_mapping_event(
        session,
        "partner_mapping.ended",
        fresh,
        principal,
        meta,
        side=side,
        was=previous.value,
        invitations_cancelled=cancelled,
        members_removed=removed,
        members_kept=not remove,
    )
    return fresh


async def record_cancelled(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    mapping: PartnerMapping,
    invitations: Sequence[Invitation],
    reason: str,
) -> None:
    """``invitation.cancelled`` in the customer's log for each invitation of partner staff that
    ended with their access (``reason`` says how)."""
    for invitation in invitations:
        await record_by(
            session,
            principal,
            meta,
            "invitation.cancelled",
            target=("invitation", invitation.id),
            organization_id=mapping.customer_organization_id,
            details={"email": invitation.email, "reason": reason},
        )


async def end_what_partner_staff_started(
    session: AsyncSession,
    mapping: PartnerMapping,
    principal: Principal,
    meta: RequestMeta,
    *,
    remove_members: bool,
) -> tuple[int, int]:
    """Cancel the mapping's pending invitations and (``remove_members``) remove the members
    partner staff brought in; how many of each."""
    now = utcnow()
    customer_id = mapping.customer_organization_id
    cancelled = await members_repo.cancel_partner_invitations(session, [mapping.id], now)
    await record_cancelled(session, principal, meta, mapping, cancelled, "partner_mapping_ended")
    removed = 0
    if remove_members:
        for membership in await members_repo.members_added_through(
            session, mapping.id, customer_id
        ):
            if not await members_repo.delete_membership(session, membership.id, membership.role):
                continue
            removed += 1
            if not await members_repo.has_any_membership(session, membership.user_id):
                await accounts_repo.sign_out_everywhere(session, membership.user_id, now)
            await record_by(
                session,
                principal,
                meta,
                "member.removed",
                target=("user", membership.user_id),
                organization_id=customer_id,
                details={"role": membership.role.value, "reason": "partner_mapping_ended"},
            )
    return len(cancelled), removed


async def _reloaded(session: AsyncSession, mapping_id: uuid.UUID) -> PartnerMapping:
    mapping = await repo.mapping_by_id(session, mapping_id)
    assert mapping is not None
    return mapping


# --- reading --------------------------------------------------------------------------------------


async def support_partner(
    session: AsyncSession, principal: Principal, organization_id: str | None
) -> PartnerMapping | None:
    """The customer's current mapping (INVITED or ACTIVE), for whoever may read the customer."""
    access = await organization_access(
        session, principal, organization_id, Action.ORGANIZATION_READ, field=("organizationId",)
    )
    return await repo.current_mapping_of_customer(session, access.organization_id)


async def partner_invitations(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str | None,
    page: PageRequest,
) -> tuple[uuid.UUID, Page[PartnerMapping]]:
    """The partner's pending invitations, for its admins (who answer them): the partner's id (to
    count them) and one page, oldest first."""
    access = await organization_access(
        session, principal, organization_id, Action.CUSTOMER_MANAGE, field=("organizationId",)
    )
    rows = await repo.list_invitations_of_partner(
        session, access.organization_id, after=page.after, limit=page.first + 1
    )
    return access.organization_id, make_page(rows, page)


async def count_partner_invitations(session: AsyncSession, partner_id: uuid.UUID) -> int:
    return await repo.count_invitations_of_partner(session, partner_id)
