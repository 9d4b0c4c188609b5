"""The queries behind a principal: every path from a user to an organization, fresh per request.

Reading these on every request (two indexed queries) is what makes a disabled user, a suspended
organization, an ended partner mapping or a removed technician take effect on the very next
request, even while an access token is still valid.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import (
    Membership,
    OAuthGrant,
    Organization,
    PartnerMapping,
    TechnicianAssignment,
    User,
)
from domain.authz.principal import OrgAccess
from domain.enums import (
    OrganizationStatus,
    OrganizationType,
    PartnerMappingStatus,
    Role,
    UserStatus,
)
from kit.clock import utcnow


@dataclass(frozen=True, slots=True)
class ActiveUser:
    id: uuid.UUID
    email: str
    security_stamp: int


async def get_active_user(
    session: AsyncSession, user_id: uuid.UUID, grant_id: uuid.UUID | None = None
) -> ActiveUser | None:
    """The active user; with ``grant_id`` (an access token's ``sid``) only while that grant is
    neither revoked nor expired — one indexed query checks both."""
    query = select(User.id, User.email, User.security_stamp).where(
        User.id == user_id, User.status == UserStatus.ACTIVE
    )
    if grant_id is not None:
        query = query.join(
            OAuthGrant,
            and_(
                OAuthGrant.id == grant_id,
                OAuthGrant.user_id == User.id,
                OAuthGrant.revoked_at.is_(None),
                OAuthGrant.expires_at > utcnow(),
            ),
        )
    row = (await session.execute(query)).first()
    return ActiveUser(row.id, row.email, row.security_stamp) if row else None


_usable = Organization.status != OrganizationStatus.SUSPENDED


async def list_access(session: AsyncSession, user_id: uuid.UUID) -> list[OrgAccess]:
    """Memberships first (in the order joined), then technician assignments."""
    members = await session.execute(
        select(Membership.organization_id, Organization.type, Membership.role)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user_id, _usable, Organization.deleted_at.is_(None))
        .order_by(Membership.created_at, Membership.id)
    )
    access = [OrgAccess(r.organization_id, r.type, r.role) for r in members]

    partner = aliased(Organization)
    technician = await session.execute(
        select(PartnerMapping.customer_organization_id, Organization.type, PartnerMapping.id)
        .join(TechnicianAssignment, TechnicianAssignment.mapping_id == PartnerMapping.id)
        .join(Organization, Organization.id == PartnerMapping.customer_organization_id)
        .join(partner, partner.id == PartnerMapping.partner_organization_id)
        .where(
            TechnicianAssignment.user_id == user_id,
            PartnerMapping.status == PartnerMappingStatus.ACTIVE,
            _usable,
            Organization.deleted_at.is_(None),
            partner.status != OrganizationStatus.SUSPENDED,
            # Still on the partner's staff: leaving the partner ends every assignment at once.
            exists().where(
                and_(
                    Membership.user_id == user_id,
                    Membership.organization_id == PartnerMapping.partner_organization_id,
                )
            ),
        )
        .order_by(TechnicianAssignment.created_at)
    )
    seen = {a.organization_id for a in access}
    for r in technician:
        if r.customer_organization_id not in seen:
            access.append(OrgAccess(r.customer_organization_id, r.type, Role.TECHNICIAN, r.id))
    return access


async def get_organization_type(
    session: AsyncSession, organization_id: uuid.UUID
) -> OrganizationType | None:
    """The type of a live organization (None when missing or deleted)."""
    kind: OrganizationType | None = await session.scalar(
        select(Organization.type).where(
            Organization.id == organization_id, Organization.deleted_at.is_(None)
        )
    )
    return kind
