"""Creating an organization: the organization (pending activation), its default location and
area, its Super Admin membership, and the consents its sign-up accepted — all in the caller's
transaction, so that either everything exists or nothing does.

Used by customer sign-up, partner approval and, later, partners creating a customer on the
customer's behalf (``create_organization_with_super_admin`` with a pending user of their own
making and no consents: the customer accepts the terms when activating).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ConsentRecord, Membership, Organization, User
from domain.authz.principal import Principal
from domain.authz.scope import can_read
from domain.context import RequestMeta
from domain.enums import ConsentDocument, OrganizationStatus, OrganizationType, Role
from domain.locations.defaults import create_default_location
from domain.organizations import repository
from kit.clock import utcnow

INTERNAL_ORGANIZATION_NAME = "Cloud Portal Internal"


async def get_organization(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> Organization | None:
    """The organization, or None when it is missing, deleted or out of the principal's reach
    (members and assigned technicians read theirs, internal admins any): ``node(id:)``'s rule,
    the same as every single-object lookup's."""
    organization = await repository.live_organization(session, organization_id)
    if organization is None or not await can_read(session, principal, organization.id):
        return None
    return organization


@dataclass(frozen=True, slots=True)
class OrganizationDetails:
    name: str
    country: str  # ISO 3166-1 alpha-2, validated
    address: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class ConsentVersions:
    """The versions of the legal documents that were on screen when the boxes were ticked."""

    terms_of_service: str
    privacy_policy: str


async def create_organization(
    session: AsyncSession,
    *,
    kind: OrganizationType,
    details: OrganizationDetails,
    status: OrganizationStatus = OrganizationStatus.PENDING,
    step_code_id: uuid.UUID | None = None,
) -> Organization:
    now = utcnow()
    organization = Organization(
        type=kind,
        status=status,
        name=details.name,
        country=details.country,
        address=details.address,
        phone=details.phone,
        step_code_id=step_code_id,
        activated_at=now if status is OrganizationStatus.ACTIVE else None,
    )
    session.add(organization)
    await session.flush()
    if kind is not OrganizationType.INTERNAL:
        # The vendor's own organization has no sites or devices.
        await create_default_location(
            session, organization.id, country=details.country, address=details.address
        )
    return organization


async def create_organization_with_super_admin(
    session: AsyncSession,
    *,
    kind: OrganizationType,
    details: OrganizationDetails,
    super_admin: User,
    step_code_id: uuid.UUID | None = None,
) -> Organization:
    """A pending organization whose Super Admin is ``super_admin``: activating that user's
    account activates the organization (domain.accounts.activation)."""
    organization = await create_organization(
        session, kind=kind, details=details, step_code_id=step_code_id
    )
    session.add(
        Membership(user_id=super_admin.id, organization_id=organization.id, role=Role.SUPER_ADMIN)
    )
    await session.flush()
    return organization


async def record_consents(
    session: AsyncSession,
    *,
    email: str,
    versions: ConsentVersions,
    meta: RequestMeta,
    accepted_at: datetime | None = None,
    user_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    partner_request_id: uuid.UUID | None = None,
) -> list[ConsentRecord]:
    """One record per accepted document: which, which version, when, from where."""
    when = accepted_at or utcnow()
    records = [
        ConsentRecord(
            document=document,
            version=version,
            accepted_at=when,
            email=email,
            client_address=meta.client_address,
            user_agent=meta.user_agent,
            user_id=user_id,
            organization_id=organization_id,
            partner_request_id=partner_request_id,
        )
        for document, version in (
            (ConsentDocument.TERMS_OF_SERVICE, versions.terms_of_service),
            (ConsentDocument.PRIVACY_POLICY, versions.privacy_policy),
        )
    ]
    session.add_all(records)
    await session.flush()
    return records


async def attach_request_consents(
    session: AsyncSession,
    *,
    partner_request_id: uuid.UUID,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
) -> None:
    """The consents a partner request recorded now belong to the account it became."""
    await repository.attach_consents(
        session,
        partner_request_id=partner_request_id,
        user_id=user_id,
        organization_id=organization_id,
    )


async def get_or_create_internal_organization(session: AsyncSession) -> Organization:
    """The single INTERNAL organization of the vendor's staff, made on first use."""
    await repository.serialize_internal_organization_creation(session)
    existing = await repository.internal_organization(session)
    if existing is not None:
        return existing
    return await create_organization(
        session,
        kind=OrganizationType.INTERNAL,
        details=OrganizationDetails(name=INTERNAL_ORGANIZATION_NAME, country="ZZ"),
        status=OrganizationStatus.ACTIVE,
    )
