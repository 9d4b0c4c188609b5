"""Activation accepts invitations: the moment an invited account becomes a member.

``accept_invitations`` runs inside the activation's winning transaction
(domain.accounts.activation), right after the account became active: every live invitation of the
account becomes a membership with the invited role, oldest first, each judged again by the rules
of domain.members.eligibility (an invitation the account can no longer take stays pending; an
admin resending it learns why). An invitation past its ``expires_at`` or cancelled is not accepted.

An account that ends up in no organization at all — its invitations expired or were withdrawn —
is not activated: it could not sign in anyway (domain.login), and "verified successfully" followed
by a refused login would only confuse. The error tells the person to ask for a new invitation.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit.service import record
from domain.context import RequestMeta
from domain.enums import InvitationStatus
from domain.errors import UserError, UserErrors
from domain.members import repository as repo
from domain.members.eligibility import check_can_join
from domain.members.first_super_admin import add_invited_member
from kit.clock import utcnow

INVITATION_EXPIRED = "INVITATION_EXPIRED"


async def accept_invitations(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    email: str,
    max_customer_organizations: int,
    meta: RequestMeta,
    field: Sequence[str] = ("input", "token"),
) -> list[uuid.UUID]:
    """Turn the account's live invitations into memberships; the organizations joined.

    Raises ``INVITATION_EXPIRED`` (rolling the activation back) when the account is left a member
    of nothing.
    """
    now = utcnow()
    await repo.lock_user(session, user_id)
    joined: list[uuid.UUID] = []
    for invitation, organization in await repo.live_invitations_of_user(session, user_id, now):
        if await repo.lock_organization(session, organization.id) is None:
            continue  # deleted meanwhile
        try:
            await check_can_join(
                session,
                user_id,
                organization,
                now=now,
                max_customer_organizations=max_customer_organizations,
                count_invitations=False,
            )
        except UserErrors:
            continue
        if not await repo.settle_invitation(session, invitation.id, InvitationStatus.ACCEPTED, now):
            continue  # cancelled at this very moment
        membership = await add_invited_member(
            session,
            user_id=user_id,
            email=email,
            organization_id=organization.id,
            role=invitation.role,
            meta=meta,
        )
        await record(
            session,
            "invitation.accepted",
            meta=meta,
            actor_user_id=user_id,
            actor_email=email,
            organization_id=organization.id,
            target_type="invitation",
            target_id=invitation.id,
            details={
                "email": invitation.email,
                "role": invitation.role.value,
                "user_id": str(user_id),
                "joined": membership is not None,
            },
        )
        if membership is not None:
            joined.append(organization.id)
    if not await repo.has_memberships(session, user_id):
        raise UserError(
            INVITATION_EXPIRED,
            "This invitation has expired or was withdrawn: ask the organization's administrator "
            "to invite you again.",
            field,
        )
    return joined
