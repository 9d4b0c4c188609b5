"""Invitations are offers: the invitee accepts or declines each one (SECURITY.md: "Invitations are
offers that the invitee accepts or declines; an existing account is asked, never added").

* A signed-in account sees its live invitations (``myInvitations``: the inviting organization, the
  inviter, the role) and answers each with ``acceptInvitation`` or ``declineInvitation``.
* An account made by an invitation (pending, in no organization) was mailed an activation link
  bound to that invitation (``AccountToken.invitation_id``): activating through it accepts that
  invitation and only it — the email named the organization and the inviter, and following it is
  the invitee's choice. Every other activation link (a sign-up's, a resend's) accepts nothing, and
  the account's other invitations stay offers. An account left in no organization at all is not
  activated (``INVITATION_EXPIRED``): it could not sign in anyway (domain.login).

Each acceptance is judged again by the rules of domain.members.eligibility: the refusal reaches the
invitee, who learns only about their own account; the inviter was told nothing but "pending".
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation, Membership, Organization
from domain.audit.service import record, record_by
from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.context import RequestMeta
from domain.enums import InvitationStatus
from domain.errors import NotFound, UserErrors
from domain.members import errors
from domain.members import repository as repo
from domain.members.eligibility import check_can_join
from domain.members.first_super_admin import add_invited_member
from kit.clock import utcnow


@dataclass(frozen=True, slots=True)
class Accepted:
    invitation: Invitation
    membership: Membership


async def _accept(
    session: AsyncSession,
    invitation: Invitation,
    organization: Organization,
    *,
    user_id: uuid.UUID,
    email: str,
    max_customer_organizations: int,
    meta: RequestMeta,
    field: Sequence[str],
) -> Membership:
    """Turn one live invitation into a membership (the caller holds the account's lock)."""
    now = utcnow()
    if await repo.lock_organization(session, organization.id) is None:
        raise errors.invitation_expired(field)  # deleted meanwhile
    if (await repo.lock_memberships(session, organization.id, [user_id])).get(user_id):
        raise errors.already_member(field)
    await check_can_join(
        session,
        user_id,
        organization,
        now=now,
        max_customer_organizations=max_customer_organizations,
        count_invitations=False,
        field=field,
    )
    if invitation.partner_mapping_id is not None and not await repo.partner_mapping_still_active(
        session, invitation.partner_mapping_id
    ):
        # Sent by a partner's technician through a mapping that has ended meanwhile.
        raise errors.invitation_expired(field)
    fresh = await repo.invitation_by_id(session, invitation.id, for_update=True)
    if fresh is None or fresh.expires_at <= now:
        raise errors.invitation_expired(field)
    if not await repo.settle_invitation(session, invitation.id, InvitationStatus.ACCEPTED, now):
        raise errors.invitation_not_pending(field)  # answered or cancelled at this very moment
    membership = await add_invited_member(
        session,
        user_id=user_id,
        email=email,
        organization_id=organization.id,
        role=fresh.role,
        meta=meta,
    )
    if membership is None:
        raise errors.already_member(field)
    # Who brought them in, and through which partner mapping (domain.partners.mappings).
    membership.invited_by_id = fresh.invited_by_id
    membership.partner_mapping_id = fresh.partner_mapping_id
    await session.flush()
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
            "email": fresh.email,
            "role": fresh.role.value,
            "user_id": str(user_id),
            "joined": True,
            "partner_mapping_id": (
                str(fresh.partner_mapping_id) if fresh.partner_mapping_id else None
            ),
        },
    )
    return membership


async def accept_on_activation(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    email: str,
    invitation_id: uuid.UUID | None,
    max_customer_organizations: int,
    meta: RequestMeta,
    field: Sequence[str] = ("input", "token"),
) -> list[uuid.UUID]:
    """Inside the activation's winning transaction: accept the invitation the link was mailed
    for, if any; the organizations joined. Raises ``INVITATION_EXPIRED`` (rolling the activation
    back) when the account is left a member of nothing."""
    await repo.lock_user(session, user_id)
    joined: list[uuid.UUID] = []
    found = (
        await repo.invitation_with_organization(session, invitation_id) if invitation_id else None
    )
    if found is not None:
        invitation, organization = found
        live = invitation.status is InvitationStatus.PENDING and invitation.expires_at > utcnow()
        if live and invitation.user_id == user_id:
            try:
                await _accept(
                    session,
                    invitation,
                    organization,
                    user_id=user_id,
                    email=email,
                    max_customer_organizations=max_customer_organizations,
                    meta=meta,
                    field=field,
                )
            except UserErrors:
                pass  # judged below: a member of nothing is not activated
            else:
                joined.append(organization.id)
    if not await repo.has_memberships(session, user_id):
        raise errors.invitation_expired(field)
    return joined


async def _own_invitation(
    session: AsyncSession, principal: Principal, raw_id: str
) -> tuple[Invitation, Organization]:
    """The invitation, if it is addressed to the principal's account; anyone else's is exactly as
    missing as one that never existed."""
    invitation_id = parse_id(raw_id, "invitation", errors.INVITATION_FIELD)
    found = await repo.invitation_with_organization(session, invitation_id)
    if found is None or found[0].user_id != principal.user_id:
        raise NotFound("invitation", errors.INVITATION_FIELD)
    return found


async def accept_invitation(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    invitation_id: str,
    max_customer_organizations: int,
) -> Accepted:
    """``acceptInvitation``: the signed-in invitee joins with the invited role."""
    await repo.lock_account(session, principal.user_id)
    invitation, organization = await _own_invitation(session, principal, invitation_id)
    if invitation.status is not InvitationStatus.PENDING:
        raise errors.invitation_not_pending(errors.INVITATION_FIELD)
    membership = await _accept(
        session,
        invitation,
        organization,
        user_id=principal.user_id,
        email=principal.email,
        max_customer_organizations=max_customer_organizations,
        meta=meta,
        field=errors.INVITATION_FIELD,
    )
    fresh = await repo.invitation_by_id(session, invitation.id)
    assert fresh is not None
    return Accepted(fresh, membership)


async def decline_invitation(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, invitation_id: str
) -> Invitation:
    """``declineInvitation``: the offer is closed as DECLINED (the inviter sees that status)."""
    invitation, organization = await _own_invitation(session, principal, invitation_id)
    now = utcnow()
    if not await repo.settle_invitation(session, invitation.id, InvitationStatus.DECLINED, now):
        raise errors.invitation_not_pending(errors.INVITATION_FIELD)
    await record_by(
        session,
        principal,
        meta,
        "invitation.declined",
        target=("invitation", invitation.id),
        organization_id=organization.id,
        details={"email": invitation.email, "role": invitation.role.value},
    )
    fresh = await repo.invitation_by_id(session, invitation.id)
    assert fresh is not None
    return fresh
