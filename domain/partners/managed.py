"""A partner creates a customer organization on the customer's behalf (PRODUCT.md §1).

In one transaction: the customer organization (pending, with its default location and area —
domain.organizations.service), an ACTIVE mapping to the partner, the creator assigned as its
technician, and the terms the creator accepted on the customer's behalf (recorded like a
sign-up's: which document, which version, when, from where, by whom).

The organization has no Super Admin yet: the first person invited into it who joins becomes its
Super Admin (domain.organizations.service.role_for_new_member), and activating that person's
account activates the organization, as a sign-up's does. Until then the partner cannot end the
mapping (domain.partners.mappings.end_mapping): nobody else could reach the organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.models import PartnerMapping
from domain.accounts import validation as val
from domain.accounts.forms import (
    PRIVACY_NOT_ACCEPTED,
    TERMS_NOT_ACCEPTED,
    validate_organization_details,
)
from domain.accounts.registration import consent_versions
from domain.audit.service import record
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.dependencies import StoreDeps
from domain.enums import OrganizationType, PartnerMappingStatus
from domain.errors import Validator
from domain.organizations.service import create_organization, record_consents
from domain.partners import mapping_repository as repo
from domain.partners.customers import MappedCustomer, customer_row
from domain.partners.mappings import DEFAULT_GRANT, DEFAULT_SCOPE, record_mapping_event
from domain.partners.technicians import record_assignment_event
from kit.clock import utcnow


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
    deps: StoreDeps, principal: Principal, form: ManagedCustomerForm, meta: RequestMeta
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
        await record(
            session,
            "organization.created",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            organization_id=customer.id,
            target_type="organization",
            target_id=customer.id,
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
