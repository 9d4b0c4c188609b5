"""Partner admins assign and unassign technicians per customer (PRODUCT.md §2: "a partner's staff
reach a mapped customer only as technicians assigned to it").

* Who: the partner's Super Admin and Admins (``CUSTOMER_MANAGE``), for a customer their partner
  supports through an ACTIVE mapping. A customer the principal's partner does not support is as
  missing as one that does not exist; so is a person who is not on the partner's own staff.
* Assigning someone already assigned changes nothing and succeeds (retries are safe); the
  unique (mapping, user) decides racing assignments.
* Unassigning takes effect on the very next request (access is read fresh per request).
* Audited in both organizations' logs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PartnerMapping, TechnicianAssignment
from domain.audit.service import record
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.enums import PartnerMappingStatus
from domain.errors import NotFound
from domain.members import repository as members_repo
from domain.partners import errors
from domain.partners import mapping_repository as repo
from kit.clock import utcnow

_CUSTOMER_FIELD = ("input", "customerId")
_USER_FIELD = ("input", "userId")


@dataclass(frozen=True, slots=True)
class Assignment:
    """A technician of a customer: the assignment and the mapping it goes through."""

    assignment: TechnicianAssignment
    mapping: PartnerMapping


async def record_assignment_event(
    session: AsyncSession,
    action: str,
    mapping: PartnerMapping,
    technician_id: uuid.UUID,
    principal: Principal,
    meta: RequestMeta,
) -> None:
    for organization_id in (mapping.customer_organization_id, mapping.partner_organization_id):
        await record(
            session,
            action,
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            organization_id=organization_id,
            target_type="user",
            target_id=technician_id,
            details={
                "mapping_id": str(mapping.id),
                "partner_organization_id": str(mapping.partner_organization_id),
                "customer_organization_id": str(mapping.customer_organization_id),
            },
        )


async def _supported_customer(
    session: AsyncSession, principal: Principal, raw_customer_id: str, raw_user_id: str
) -> tuple[PartnerMapping, uuid.UUID]:
    """The customer's current mapping (locked) through a partner the principal manages, and the
    id of a member of that partner's staff."""
    customer_id = parse_id(raw_customer_id, "customer", _CUSTOMER_FIELD)
    mapping = await repo.current_mapping_of_customer(session, customer_id, for_update=True)
    if mapping is None:
        raise NotFound("customer", _CUSTOMER_FIELD)
    try:
        await organization_access(
            session, principal, mapping.partner_organization_id, Action.CUSTOMER_MANAGE
        )
    except NotFound:
        raise NotFound("customer", _CUSTOMER_FIELD) from None
    user_id = parse_id(raw_user_id, "user", _USER_FIELD)
    if not await repo.is_member(session, mapping.partner_organization_id, user_id):
        raise NotFound("user", _USER_FIELD)
    return mapping, user_id


async def assign_technician(
    session: AsyncSession,
    principal: Principal,
    *,
    customer_id: str,
    user_id: str,
    meta: RequestMeta,
) -> Assignment:
    mapping, technician_id = await _supported_customer(session, principal, customer_id, user_id)
    if mapping.status is not PartnerMappingStatus.ACTIVE:
        raise errors.mapping_not_active()
    assignment = await repo.add_assignment(session, mapping.id, technician_id, principal.user_id)
    if assignment is None:
        existing = await repo.assignment_of(session, mapping.id, technician_id)
        assert existing is not None
        return Assignment(existing, mapping)  # already assigned: nothing to do
    await record_assignment_event(
        session, "technician.assigned", mapping, technician_id, principal, meta
    )
    return Assignment(assignment, mapping)


async def unassign_technician(
    session: AsyncSession,
    principal: Principal,
    *,
    customer_id: str,
    user_id: str,
    meta: RequestMeta,
) -> PartnerMapping:
    mapping, technician_id = await _supported_customer(session, principal, customer_id, user_id)
    if not await repo.delete_assignment(session, mapping.id, technician_id):
        raise errors.not_assigned()
    # Their invitations still pending end with their access (domain.partners.mappings); the
    # members they brought in stay, marked for the customer (``Member.addedByPartner``).
    cancelled = await members_repo.cancel_partner_invitations(
        session, [mapping.id], utcnow(), invited_by_id=technician_id
    )
    await record_assignment_event(
        session, "technician.unassigned", mapping, technician_id, principal, meta
    )
    for invitation in cancelled:
        await record(
            session,
            "invitation.cancelled",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            organization_id=mapping.customer_organization_id,
            target_type="invitation",
            target_id=invitation.id,
            details={"email": invitation.email, "reason": "technician_unassigned"},
        )
    return mapping
