"""An organization without a Super Admin gets one from its first accepted invitation.

Only a customer a partner created on the customer's behalf (domain.partners.service) starts
without one: the partner's technician invites the customer's people, and the first of them who
joins — by activating a new account, or at once with an existing one — becomes the Super Admin,
whatever role the invitation named (a technician may only invite USERs). The others get their
invited role. The partial unique index ``uq_membership_one_super_admin`` decides joins that race:
the loser is inserted again with the invited role.

Joining as the first Super Admin also activates the organization if it is still pending, as a
sign-up's activation does (domain.accounts.activation).

Lock order (PostgreSQL): the caller holds the organization row before this runs — and while the
organization has no Super Admin, exclusively (``FOR NO KEY UPDATE``, see
``domain.members.repository.lock_organization``), before any membership is written. With only a
share lock, concurrent first joins deadlocked: each waited on the winner's Super Admin row (the
unique index), the winner waited on their share locks to activate the organization.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership
from domain.accounts import repository as accounts_repo
from domain.audit.service import record
from domain.context import RequestMeta
from domain.enums import Role
from domain.members import repository as repo
from kit.clock import utcnow


async def needs_super_admin(session: AsyncSession, organization_id: uuid.UUID) -> bool:
    return not await repo.has_super_admin(session, organization_id)


async def add_invited_member(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    email: str,
    organization_id: uuid.UUID,
    role: Role,
    meta: RequestMeta,
) -> Membership | None:
    """The membership an accepted invitation makes (None when the person already is a member)."""
    if await needs_super_admin(session, organization_id):
        membership = await repo.add_membership(session, user_id, organization_id, Role.SUPER_ADMIN)
        if membership is not None:
            await _activate(session, organization_id, user_id, email, meta)
            return membership
    return await repo.add_membership(session, user_id, organization_id, role)


async def _activate(
    session: AsyncSession,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    email: str,
    meta: RequestMeta,
) -> None:
    if organization_id not in await accounts_repo.pending_organizations_led_by(session, user_id):
        return
    await accounts_repo.activate_organizations(session, [organization_id], utcnow())
    await record(
        session,
        "organization.activated",
        meta=meta,
        actor_user_id=user_id,
        actor_email=email,
        organization_id=organization_id,
        target_type="organization",
        target_id=organization_id,
        details={"first_super_admin": True},
    )
