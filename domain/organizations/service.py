"""The organizations area's use cases: creating an organization, editing its details, deleting
it.

* Creating: the organization (pending activation), its default location and area, its Super
  Admin membership, and the consents its sign-up accepted — all in the caller's transaction, so
  that either everything exists or nothing does. Used by customer sign-up, partner approval and
  partners creating a customer on the customer's behalf (``create_organization_with_super_admin``
  with a pending user of their own making and no consents: the customer accepts the terms when
  activating).
* Editing (``updateOrganization``): its Super Admin and Admins (``ORGANIZATION_DETAILS_EDIT``;
  customers and partners, not the internal organization). The checks are sign-up's
  (domain.accounts.validation). A field left out stays; an empty address or phone clears it; the
  name is required. Audited ``organization.updated`` with what changed, before and after.
* Deleting (PRODUCT.md §1): only its Super Admin, only once it is empty — no member but the Super
  Admin, no device, no license that has not expired, no live invitation, no ACTIVE partner mapping
  (as customer or as partner). Anything else is refused with ``ORGANIZATION_NOT_EMPTY``, naming
  what remains. The Super Admin must also type the organization's name (``confirmName``): a
  deletion is not undone through the API. The deletion is soft (``organization.deleted_at``): the
  row, its locations and its audit history stay for the record, but the organization disappears
  from every path (domain.authz.repository, login) at once. The Super Admin's membership ends with
  it. An account left without any organization stays an account: it can no longer sign in (login
  needs an organization) and its tokens reach nothing, but an invitation brings it back at once
  (it joins as an existing account), and its audit history keeps its id. Races: the organization
  row is locked ``FOR UPDATE`` before counting; invitations, transfers and joins hold it ``FOR
  SHARE`` (domain.members.repository), and on PostgreSQL every insert that references the
  organization (a device, a license redemption) takes a key-share lock on it, so a device
  registered at the same moment either is counted or waits for the deletion.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ConsentRecord, Membership, Organization, User
from domain.accounts import validation as val
from domain.audit.service import record_by
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import can_read, organization_access
from domain.context import RequestMeta
from domain.enums import ConsentDocument, OrganizationStatus, OrganizationType, Role
from domain.errors import Forbidden, NotFound, Validator
from domain.locations.defaults import create_default_location
from domain.members import repository as members_repo
from domain.organizations import errors, repository
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


# --- editing --------------------------------------------------------------------------------------


async def update_organization(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    name: str | None,
    address: str | None,
    phone: str | None,
) -> Organization:
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.ORGANIZATION_DETAILS_EDIT,
        field=errors.ORGANIZATION_FIELD,
    )
    v = Validator(("input",))
    changes: dict[str, str | None] = {}
    if name is not None:
        clean = val.clean_text(
            v, "name", name, label="Organization name", max_length=val.ORGANIZATION_NAME_MAX
        )
        if clean is not None:
            changes["name"] = clean
    if address is not None:
        changes["address"] = val.clean_text(
            v,
            "address",
            address,
            label="Address",
            max_length=val.ADDRESS_MAX,
            required=False,
            multiline=True,
        )
    if phone is not None:
        changes["phone"] = val.clean_phone(v, "phone", phone)
    v.raise_if_any()
    organization = await members_repo.lock_organization(
        session, access.organization_id, exclusive=True
    )
    if organization is None:
        raise NotFound("organization", errors.ORGANIZATION_FIELD)
    before = {key: getattr(organization, key) for key in changes}
    changed = {key: value for key, value in changes.items() if before[key] != value}
    for key, value in changed.items():
        setattr(organization, key, value)
    if changed:
        await session.flush()
        await record_by(
            session,
            principal,
            meta,
            "organization.updated",
            target=("organization", organization.id),
            organization_id=organization.id,
            details={"before": {k: before[k] for k in changed}, "after": changed},
        )
    return organization


# --- deleting -------------------------------------------------------------------------------------


async def delete_organization(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str,
    confirm_name: str,
) -> uuid.UUID:
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.ORGANIZATION_DELETE,
        field=errors.ORGANIZATION_FIELD,
    )
    organization = await members_repo.lock_organization(
        session, access.organization_id, exclusive=True
    )
    if organization is None:
        raise NotFound("organization", errors.ORGANIZATION_FIELD)
    if unicodedata.normalize("NFC", confirm_name.strip()) != organization.name:
        raise errors.confirmation_mismatch()
    # The Super Admin's own membership is what remains of an empty organization; it is read
    # under the lock, so a transfer a moment ago is seen.
    mine = (await members_repo.lock_memberships(session, organization.id, [principal.user_id])).get(
        principal.user_id
    )
    if mine is None or mine.role is not access.role:
        raise Forbidden(Action.ORGANIZATION_DELETE.value)
    now = utcnow()
    remains = await repository.contents(
        session, organization.id, owner_id=principal.user_id, now=now
    )
    if not remains.empty:
        raise errors.NotEmpty(remains)
    await repository.soft_delete(session, organization.id, by_user_id=principal.user_id, now=now)
    await record_by(
        session,
        principal,
        meta,
        "organization.deleted",
        target=("organization", organization.id),
        organization_id=organization.id,
        details={
            "name": organization.name,
            "type": organization.type.value,
            "step_code_id": str(organization.step_code_id) if organization.step_code_id else None,
        },
    )
    return organization.id
