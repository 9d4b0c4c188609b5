"""Every query of the organizations area."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ConsentRecord,
    Device,
    Invitation,
    License,
    Membership,
    Organization,
    PartnerMapping,
)
from domain.enums import InvitationStatus, OrganizationType, PartnerMappingStatus


async def live_organization(
    session: AsyncSession, organization_id: uuid.UUID
) -> Organization | None:
    """The organization unless it is missing or deleted."""
    found: Organization | None = await session.scalar(
        select(Organization).where(
            Organization.id == organization_id, Organization.deleted_at.is_(None)
        )
    )
    return found


async def serialize_internal_organization_creation(session: AsyncSession) -> None:
    """Two create-admin runs at once must not make two INTERNAL organizations. PostgreSQL: a
    transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE already serializes writers."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('internal-organization'))")
        )


async def organization_by_id(
    session: AsyncSession, organization_id: uuid.UUID
) -> Organization | None:
    """The organization, deleted or not."""
    return await session.get(Organization, organization_id)


async def internal_organization(session: AsyncSession) -> Organization | None:
    result: Organization | None = await session.scalar(
        select(Organization)
        .where(Organization.type == OrganizationType.INTERNAL)
        .order_by(Organization.id)
        .limit(1)
    )
    return result


async def attach_consents(
    session: AsyncSession,
    *,
    partner_request_id: uuid.UUID,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
) -> None:
    await session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.partner_request_id == partner_request_id)
        .values(user_id=user_id, organization_id=organization_id)
    )


# --- deleting an organization (domain.organizations.service) -----------------------------------


@dataclass(frozen=True, slots=True)
class Contents:
    """What still keeps an organization from being deleted."""

    other_members: int
    devices: int
    licenses: int
    pending_invitations: int
    partner_mappings: int

    @property
    def empty(self) -> bool:
        return not (
            self.other_members
            or self.devices
            or self.licenses
            or self.pending_invitations
            or self.partner_mappings
        )


def _count(model: Any, *conditions: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count()).select_from(model).where(*conditions).scalar_subquery()


async def contents(
    session: AsyncSession, organization_id: uuid.UUID, *, owner_id: uuid.UUID, now: datetime
) -> Contents:
    """One statement: every count that decides whether the organization is empty.

    A license counts until it expires (an expired one is worth nothing to keep); a partner
    mapping while it is ACTIVE, on either side; an invitation while it is live.
    """
    row = (
        await session.execute(
            select(
                _count(
                    Membership,
                    Membership.organization_id == organization_id,
                    Membership.user_id != owner_id,
                ),
                _count(Device, Device.organization_id == organization_id),
                _count(
                    License,
                    License.organization_id == organization_id,
                    or_(License.expires_at.is_(None), License.expires_at > now),
                ),
                _count(
                    Invitation,
                    Invitation.organization_id == organization_id,
                    Invitation.status == InvitationStatus.PENDING,
                    Invitation.expires_at > now,
                ),
                _count(
                    PartnerMapping,
                    or_(
                        PartnerMapping.customer_organization_id == organization_id,
                        PartnerMapping.partner_organization_id == organization_id,
                    ),
                    PartnerMapping.status == PartnerMappingStatus.ACTIVE,
                ),
            )
        )
    ).one()
    return Contents(*(int(value or 0) for value in row))


async def soft_delete(
    session: AsyncSession, organization_id: uuid.UUID, *, by_user_id: uuid.UUID, now: datetime
) -> None:
    """Mark the organization deleted and tidy what pointed at it; its rows (and its audit
    history) stay. Invitation offers of a partner mapping end; expired invitations are cancelled;
    the last membership (its Super Admin's) goes; a partner's STEP code is released (the audit
    event keeps which it was)."""
    await session.execute(
        update(PartnerMapping)
        .where(
            or_(
                PartnerMapping.customer_organization_id == organization_id,
                PartnerMapping.partner_organization_id == organization_id,
            ),
            PartnerMapping.status == PartnerMappingStatus.INVITED,
        )
        .values(status=PartnerMappingStatus.ENDED, ended_at=now, ended_by_id=by_user_id)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Invitation)
        .where(
            Invitation.organization_id == organization_id,
            Invitation.status == InvitationStatus.PENDING,
        )
        .values(status=InvitationStatus.CANCELLED, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(Membership)
        .where(Membership.organization_id == organization_id)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Organization)
        .where(Organization.id == organization_id, Organization.deleted_at.is_(None))
        # A deleted partner no longer holds its STEP code: the company may join again with it.
        .values(deleted_at=now, step_code_id=None)
        .execution_options(synchronize_session=False)
    )
