"""Time-bound partner access, modelled on Microsoft's GDAP: a customer's Super Admin grants its
partner access **until a date** (default one year, at most two years ahead) and **with a scope**
(which of a technician's powers apply: devices; devices and licenses; devices, licenses and
users — domain.authz.policy.SCOPE_ACTIONS).

* Enforced where access is read: the principal (domain.authz.repository) reaches a customer
  through a mapping only while ``access_expires_at`` is in the future, and carries the scope that
  ``policy.allows`` applies. So expiry takes effect at once, on the next request, with no job;
  the notices' pass (domain.partners.access_notices) only mails ahead and records the expiry in the logs.
* The customer's Super Admin (``PARTNER_ACCESS_MANAGE``) sets the grant when inviting, changes it
  at any time, and answers the partner's extension requests; the partner's Super Admin and Admins
  (``CUSTOMER_MANAGE``) ask for one — also once the grant has ended, while the mapping is ACTIVE.
* One pending request per mapping (a partial unique index); answers are conditional UPDATEs.
* Every grant, change, request and answer is in both organizations' audit logs; requests and
  answers are mailed through the outbox in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PartnerAccessExtension, PartnerMapping
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.enums import (
    PartnerAccessExtensionStatus,
    PartnerAccessNotice,
    PartnerAccessScope,
    PartnerMappingStatus,
    Role,
)
from domain.errors import NotFound, UserError, Validator
from domain.partners import errors
from domain.partners import repository as repo
from domain.partners.mappings import (
    DEFAULT_GRANT,
    MAX_GRANT,
    Grant,
    check_end_date,
    parse_mapping_id,
    record_mapping_event,
)
from kit.clock import utcnow
from mail import outbox
from mail.catalog import PartnerAccessExtensionAnsweredMail, PartnerAccessExtensionRequestedMail
from settings import Settings

SCOPE_LABELS = {
    PartnerAccessScope.DEVICES: "devices",
    PartnerAccessScope.DEVICES_LICENSES: "devices and licenses",
    PartnerAccessScope.DEVICES_LICENSES_USERS: "devices, licenses and users",
}

_MAPPING_FIELD = ("input", "mappingId")
ASK_AGAIN_AFTER = timedelta(days=1)
PARTNER_ADMINS = (Role.SUPER_ADMIN, Role.ADMIN)


def human_date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


async def record_grant(
    session: AsyncSession,
    action: str,
    mapping: PartnerMapping,
    principal: Principal,
    meta: RequestMeta,
    **details: Any,
) -> None:
    """The grant's event in both logs, with the grant as it stands after the change."""
    await record_mapping_event(
        session,
        action,
        mapping,
        principal,
        meta,
        access_scope=mapping.access_scope.value,
        access_expires_at=mapping.access_expires_at.isoformat()
        if mapping.access_expires_at
        else None,
        **details,
    )


async def _mapping_of_customer_admin(
    session: AsyncSession, principal: Principal, raw_id: str
) -> PartnerMapping:
    """The mapping, locked, if the principal manages the customer's partner access."""
    mapping = await repo.mapping_by_id(session, parse_mapping_id(raw_id), for_update=True)
    if mapping is None:
        raise NotFound("partner mapping", _MAPPING_FIELD)
    try:
        await organization_access(
            session, principal, mapping.customer_organization_id, Action.PARTNER_ACCESS_MANAGE
        )
    except NotFound:
        raise NotFound("partner mapping", _MAPPING_FIELD) from None
    return mapping


async def _mapping_of_partner_admin(
    session: AsyncSession, principal: Principal, raw_id: str
) -> PartnerMapping:
    mapping = await repo.mapping_by_id(session, parse_mapping_id(raw_id), for_update=True)
    if mapping is None:
        raise NotFound("partner mapping", _MAPPING_FIELD)
    try:
        await organization_access(
            session, principal, mapping.partner_organization_id, Action.CUSTOMER_MANAGE
        )
    except NotFound:
        raise NotFound("partner mapping", _MAPPING_FIELD) from None
    return mapping


async def _reloaded(session: AsyncSession, mapping_id: uuid.UUID) -> PartnerMapping:
    mapping = await repo.mapping_by_id(session, mapping_id)
    assert mapping is not None
    return mapping


# --- the customer changes the grant ----------------------------------------------------------


async def update_access(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    mapping_id: str,
    scope: PartnerAccessScope | None,
    expires_at: datetime | None,
) -> PartnerMapping:
    """The customer's Super Admin narrows, widens, shortens or lengthens its partner's grant (up
    to two years from now). An earlier end date than now is not a change but the end: end the
    mapping instead."""
    mapping = await _mapping_of_customer_admin(session, principal, mapping_id)
    if mapping.status is PartnerMappingStatus.ENDED:
        raise errors.mapping_already_ended()
    now = utcnow()
    v = Validator(("input",))
    if expires_at is not None:
        check_end_date(v, "accessExpiresAt", expires_at, now)
    v.raise_if_any()
    before = Grant(mapping.access_scope, mapping.access_expires_at or now)
    values: dict[str, object] = {}
    if scope is not None and scope is not mapping.access_scope:
        values["access_scope"] = scope
    if expires_at is not None and expires_at != mapping.access_expires_at:
        values["access_expires_at"] = expires_at
        values["access_notice"] = PartnerAccessNotice.NONE  # a new end date: new notices
    if not values:
        return mapping
    await repo.update_grant(session, mapping.id, values)
    fresh = await _reloaded(session, mapping.id)
    await record_grant(
        session,
        "partner_access.changed",
        fresh,
        principal,
        meta,
        previous_scope=before.scope.value,
        previous_expires_at=before.expires_at.isoformat(),
    )
    return fresh


# --- the partner asks for more time ----------------------------------------------------------


async def request_extension(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    settings: Settings,
    mapping_id: str,
    until: datetime | None,
) -> PartnerMapping:
    """The partner's admins ask the customer to extend the grant (default: one more year from
    the later of now and the current end, capped at two years from now)."""
    mapping = await _mapping_of_partner_admin(session, principal, mapping_id)
    if mapping.status is not PartnerMappingStatus.ACTIVE:
        raise errors.mapping_not_active(_MAPPING_FIELD)
    now = utcnow()
    declined = await repo.last_declined_at(session, mapping.id)
    if declined is not None and now - declined < ASK_AGAIN_AFTER:
        # Each request mails the customer's Super Admin: a "no" is not answered by asking again
        # at once.
        raise errors.extension_recently_declined()
    current = mapping.access_expires_at or now
    wanted = until if until is not None else min(max(current, now) + DEFAULT_GRANT, now + MAX_GRANT)
    v = Validator(("input",))
    check_end_date(v, "until", wanted, now, after=current)
    v.raise_if_any()
    extension = PartnerAccessExtension(
        mapping_id=mapping.id,
        requested_until=wanted,
        requested_by_id=principal.user_id,
        status=PartnerAccessExtensionStatus.PENDING,
    )
    if not await repo.add_extension(session, extension):
        raise errors.extension_already_requested()
    await record_grant(
        session,
        "partner_access.extension_requested",
        mapping,
        principal,
        meta,
        requested_until=wanted.isoformat(),
    )
    customer = await repo.live_organization(session, mapping.customer_organization_id)
    partner = await repo.live_organization(session, mapping.partner_organization_id)
    assert customer is not None and partner is not None
    for person in await repo.active_members(session, customer.id, [Role.SUPER_ADMIN]):
        await outbox.enqueue(
            session,
            mail=PartnerAccessExtensionRequestedMail(
                first_name=person.first_name or "there",
                customer_name=customer.name,
                partner_name=partner.name,
                scope=SCOPE_LABELS[mapping.access_scope],
                current_end=human_date(current),
                requested_until=human_date(wanted),
            ),
            to=person.email,
            public_url=settings.public_url,
        )
    return mapping


# --- the customer answers --------------------------------------------------------------------


async def answer_extension(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    settings: Settings,
    mapping_id: str,
    approve: bool,
) -> PartnerMapping:
    mapping = await _mapping_of_customer_admin(session, principal, mapping_id)
    if mapping.status is not PartnerMappingStatus.ACTIVE:
        raise errors.mapping_not_active(_MAPPING_FIELD)
    extension = await repo.pending_extension(session, mapping.id, for_update=True)
    if extension is None:
        raise errors.no_extension_requested()
    now = utcnow()
    if approve and extension.requested_until <= now:
        # Asked for a date that has passed meanwhile: granting it would grant nothing.
        raise UserError(
            errors.ACCESS_END_DATE_TOO_EARLY,
            "The requested date has passed: decline this request, or set a new end date.",
            _MAPPING_FIELD,
        )
    status = (
        PartnerAccessExtensionStatus.APPROVED if approve else PartnerAccessExtensionStatus.DECLINED
    )
    if not await repo.settle_extension(session, extension.id, status, principal.user_id, now):
        raise errors.no_extension_requested()
    previous = mapping.access_expires_at
    if approve:
        await repo.update_grant(
            session,
            mapping.id,
            {
                "access_expires_at": extension.requested_until,
                "access_notice": PartnerAccessNotice.NONE,
            },
        )
    fresh = await _reloaded(session, mapping.id)
    await record_grant(
        session,
        "partner_access.extension_approved" if approve else "partner_access.extension_declined",
        fresh,
        principal,
        meta,
        requested_until=extension.requested_until.isoformat(),
        previous_expires_at=previous.isoformat() if previous else None,
    )
    customer = await repo.live_organization(session, mapping.customer_organization_id)
    assert customer is not None
    ends = fresh.access_expires_at or now
    for person in await repo.active_members(
        session, mapping.partner_organization_id, PARTNER_ADMINS
    ):
        await outbox.enqueue(
            session,
            mail=PartnerAccessExtensionAnsweredMail(
                first_name=person.first_name or "there",
                customer_name=customer.name,
                approved=approve,
                access_ends=human_date(ends),
            ),
            to=person.email,
            public_url=settings.public_url,
        )
    return fresh


async def pending_extension_of(
    session: AsyncSession, mapping_id: uuid.UUID
) -> PartnerAccessExtension | None:
    return await repo.pending_extension(session, mapping_id)


@dataclass(frozen=True, slots=True)
class TechnicianGrant:
    """What a technician works under in a customer: the partner and the customer's grant."""

    partner_id: uuid.UUID
    partner_name: str
    scope: PartnerAccessScope
    expires_at: datetime


async def technician_grant(session: AsyncSession, mapping_id: uuid.UUID) -> TechnicianGrant | None:
    """For the principal's own path (``OrgAccess.via_mapping_id``): no further check needed."""
    mapping = await repo.mapping_by_id(session, mapping_id)
    if mapping is None or mapping.access_expires_at is None:
        return None
    partner = await repo.live_organization(session, mapping.partner_organization_id)
    if partner is None:
        return None
    return TechnicianGrant(
        partner.id, partner.name, mapping.access_scope, mapping.access_expires_at
    )
