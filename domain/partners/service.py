"""The partners area's use cases on the partner's side of its customers: the customer list,
technician assignments, and customers the partner creates on their behalf.

The area's other use cases live in modules named after what they do, each too large to join this
one: ``mappings`` (a customer invites a partner by its STEP code; accepting, declining, ending),
``join`` and ``review`` (a STEP partner's request to join, and the internal admins' review of it),
``step_codes`` (the STEP code registry). ``repository`` holds every query, ``errors`` the codes.

* The customer list (the partner landing; PRODUCT.md §1): any member of the partner reads it. A
  page is one indexed range of ``ix_partner_mapping_partner_status_id`` (keyset on the mapping's
  UUIDv7 id, oldest mapping first) joined to the page's organizations; everything shown about each
  customer is loaded for the page's customers only (resolvers/partner_loaders.py). So the first
  page costs the same for a partner with 50 customers and one with 100,000
  (bench_partner_landing).
* Technicians (PRODUCT.md §2: "a partner's staff reach a mapped customer only as technicians
  assigned to it"): the partner's Super Admin and Admins (``CUSTOMER_MANAGE``) assign and
  unassign them per customer their partner supports through an ACTIVE mapping. A customer the
  principal's partner does not support is as missing as one that does not exist; so is a person
  who is not on the partner's own staff. Assigning someone already assigned changes nothing and
  succeeds (retries are safe); the unique (mapping, user) decides racing assignments.
  Unassigning takes effect on the very next request (access is read fresh per request). Audited
  in both organizations' logs.
* Managed customers (PRODUCT.md §1): in one transaction, the customer organization (pending, with
  its default location and area — domain.organizations.service), an ACTIVE mapping to the
  partner, the creator assigned as its technician, and the terms the creator accepted on the
  customer's behalf (recorded like a sign-up's: which document, which version, when, from where,
  by whom). The organization has no Super Admin yet: the first person invited into it who joins
  becomes its Super Admin (domain.organizations.service.role_for_new_member), and activating that
  person's account activates the organization, as a sign-up's does. Until then the partner cannot
  end the mapping (domain.partners.mappings.end_mapping): nobody else could reach the
  organization.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization, PartnerMapping, TechnicianAssignment
from domain.accounts import validation as val
from domain.accounts.errors import PRIVACY_NOT_ACCEPTED, TERMS_NOT_ACCEPTED
from domain.accounts.forms import validate_organization_details
from domain.accounts.registration import consent_versions
from domain.audit.service import record_by
from domain.authz.policy import Action, require
from domain.authz.principal import Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.dependencies import StoreDeps
from domain.enums import OrganizationType, PartnerAccessScope, PartnerMappingStatus
from domain.errors import NotFound, Validator
from domain.members import repository as members_repo
from domain.organizations.service import create_organization, record_consents
from domain.partners import errors
from domain.partners import repository as repo
from domain.partners.mappings import (
    DEFAULT_GRANT,
    DEFAULT_SCOPE,
    managed_by_principal,
    record_cancelled,
    record_mapping_event,
)
from kit.clock import utcnow
from kit.pagination import Page, PageRequest, make_page

# --- the customer list ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MappedCustomer:
    """One row of the partner's customer list; ``id`` (the mapping's) orders the pages."""

    id: uuid.UUID
    organization: Organization
    mapped_at: datetime
    # The customer's grant (domain.partners.access) and the partner's open request, if any.
    access_scope: PartnerAccessScope
    access_expires_at: datetime
    extension_requested_until: datetime | None = None


def _search(term: str | None) -> str | None:
    return (term or "").strip() or None


def check_reader(principal: Principal, partner_organization_id: uuid.UUID) -> None:
    require(
        principal,
        partner_organization_id,
        Action.ORGANIZATION_READ,
        organization_type=OrganizationType.PARTNER,
    )


async def list_customers(
    session: AsyncSession,
    principal: Principal,
    partner_organization_id: uuid.UUID,
    *,
    search: str | None,
    page: PageRequest,
) -> Page[MappedCustomer]:
    """A page of the partner's customers; ``search`` matches part of their name, any case.
    Raises ``NotFound``/``Forbidden``."""
    check_reader(principal, partner_organization_id)
    rows = await repo.list_mapped_customers(
        session,
        partner_organization_id,
        search=_search(search),
        after=page.after,
        limit=page.first + 1,
    )
    return make_page([customer_row(m, o, until) for m, o, until in rows], page)


async def get_customer(
    session: AsyncSession,
    principal: Principal,
    partner_organization_id: uuid.UUID,
    customer_id: str,
) -> MappedCustomer | None:
    """One of the partner's customers, for any member of the partner; None when it is not one
    (or the id is no UUID): the same answer as for an id that never existed."""
    check_reader(principal, partner_organization_id)
    try:
        wanted = uuid.UUID(customer_id)
    except ValueError:
        return None
    row = await repo.mapped_customer(session, partner_organization_id, wanted)
    return customer_row(*row) if row is not None else None


async def count_customers(
    session: AsyncSession, partner_organization_id: uuid.UUID, *, search: str | None
) -> int:
    return await repo.count_mapped_customers(
        session, partner_organization_id, search=_search(search)
    )


def customer_row(
    mapping: PartnerMapping, organization: Organization, requested_until: datetime | None = None
) -> MappedCustomer:
    return MappedCustomer(
        mapping.id,
        organization,
        mapping.accepted_at or mapping.created_at,
        mapping.access_scope,
        # Never null once migrated; a missing end is no access (domain.authz.repository).
        mapping.access_expires_at or mapping.created_at,
        requested_until,
    )


# --- technicians ----------------------------------------------------------------------------------


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
    await record_mapping_event(
        session,
        action,
        mapping,
        principal,
        meta,
        target=("user", technician_id),
        mapping_id=str(mapping.id),
    )


async def _supported_customer(
    session: AsyncSession, principal: Principal, raw_customer_id: str, raw_user_id: str
) -> tuple[PartnerMapping, uuid.UUID]:
    """The customer's current mapping (locked) through a partner the principal manages, and the
    id of a member of that partner's staff."""
    customer_id = parse_id(raw_customer_id, "customer", _CUSTOMER_FIELD)
    mapping = await managed_by_principal(
        session,
        principal,
        await repo.current_mapping_of_customer(session, customer_id, for_update=True),
        "customer",
        _CUSTOMER_FIELD,
    )
    user_id = parse_id(raw_user_id, "user", _USER_FIELD)
    if not await repo.is_member(session, mapping.partner_organization_id, user_id):
        raise NotFound("user", _USER_FIELD)
    return mapping, user_id


async def assign_technician(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    customer_id: str,
    user_id: str,
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
    meta: RequestMeta,
    *,
    customer_id: str,
    user_id: str,
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
    await record_cancelled(session, principal, meta, mapping, cancelled, "technician_unassigned")
    return mapping


# --- managed customers ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManagedCustomerForm:
    """What the partner sent, unvalidated (the sign-up form's organization part and boxes)."""

    organization_id: str | None  # the partner; defaults to the working organization
    organization_name: str | None
    country: str | None
    address: str | None
    phone: str | None
    accept_terms_of_service: bool
    accept_privacy_policy: bool


async def create_managed_customer(
    deps: StoreDeps, principal: Principal, meta: RequestMeta, form: ManagedCustomerForm
) -> MappedCustomer:
    settings = deps.settings
    async with deps.db.unit_of_work() as session:
        access = await organization_access(
            session,
            principal,
            form.organization_id,
            Action.CUSTOMER_MANAGE,
            field=("input", "organizationId"),
        )
        v = Validator(("input",))
        details = validate_organization_details(
            v,
            name=form.organization_name,
            country=form.country,
            address=form.address,
            phone=form.phone,
        )
        val.require_true(
            v,
            "acceptTermsOfService",
            form.accept_terms_of_service,
            TERMS_NOT_ACCEPTED,
            "Accept the terms of service on the customer's behalf to continue.",
        )
        val.require_true(
            v,
            "acceptPrivacyPolicy",
            form.accept_privacy_policy,
            PRIVACY_NOT_ACCEPTED,
            "Accept the privacy policy and agreement on the customer's behalf to continue.",
        )
        v.raise_if_any()
        assert details is not None
        now = utcnow()
        customer = await create_organization(
            session, kind=OrganizationType.CUSTOMER, details=details
        )
        await record_consents(
            session,
            email=principal.email,
            versions=consent_versions(settings),
            meta=meta,
            accepted_at=now,
            user_id=principal.user_id,
            organization_id=customer.id,
        )
        mapping = PartnerMapping(
            partner_organization_id=access.organization_id,
            customer_organization_id=customer.id,
            status=PartnerMappingStatus.ACTIVE,
            created_by_id=principal.user_id,
            accepted_at=now,
            # No Super Admin has granted anything yet: the default grant (every power, one
            # year), which the customer's Super Admin may change once they have joined.
            access_scope=DEFAULT_SCOPE,
            access_expires_at=now + DEFAULT_GRANT,
        )
        added = await repo.add_mapping(session, mapping)
        assert added, "a new organization has no mapping yet"
        assignment = await repo.add_assignment(
            session, mapping.id, principal.user_id, principal.user_id
        )
        assert assignment is not None
        await record_by(
            session,
            principal,
            meta,
            "organization.created",
            target=("organization", customer.id),
            organization_id=customer.id,
            details={
                "type": OrganizationType.CUSTOMER.value,
                "managed_by": str(access.organization_id),
            },
        )
        for action in ("partner_mapping.created", "partner_access.granted"):
            await record_mapping_event(
                session,
                action,
                mapping,
                principal,
                meta,
                access_scope=DEFAULT_SCOPE.value,
                access_expires_at=(now + DEFAULT_GRANT).isoformat(),
            )
        await record_assignment_event(
            session, "technician.assigned", mapping, principal.user_id, principal, meta
        )
        return customer_row(mapping, customer)
