"""Inviting people into an organization, resending and cancelling invitations.

* An email without an account gets a pending account and the ``invitation`` email: the activation
  link and code of the sign-up flow (domain.accounts.tokens), living as long as the invitation (7
  days). Activating (``activateAccount`` or the ``/activate`` page) accepts every live invitation
  of the account (domain.members.acceptance). An account still pending activation — invited
  elsewhere, or signed up without activating — is treated the same way: a new link replaces its
  old one and activation accepts both.
* An email with an active account joins at once and is told by mail (``invitation_joined``); the
  invitation is kept as ACCEPTED, as the record of who invited whom.
* What the inviter learns: for a new or pending account a pending invitation, for an active one a
  member — exactly what the Users page shows a moment later anyway. An inviter is an admin of the
  organization; the refusals that reveal something about an account elsewhere (a partner's staff,
  50 organizations) cannot be avoided, and the per-inviter rate limit keeps anyone from using them
  to survey addresses.

Only ADMIN and USER are granted by invitation: the Super Admin role moves by transfer
(domain.members.transfer) and technicians are partner staff assigned by their partner.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation, Organization, User
from domain.accounts import limits
from domain.accounts import repository as accounts_repo
from domain.accounts.validation import NAME_MAX, clean_email, clean_text
from domain.audit.service import record
from domain.authz.policy import Action, can_manage_role
from domain.authz.principal import OrgAccess, Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.enums import InvitationStatus, Role, UserStatus
from domain.errors import Forbidden, NotFound, UserErrors, Validator
from domain.members import errors
from domain.members import repository as repo
from domain.members.eligibility import check_can_join
from domain.members.first_super_admin import add_invited_member
from domain.members.mailing import mail_invitation, mail_joined
from domain.members.repository import MemberRow
from kit.clock import utcnow
from settings import Settings

if TYPE_CHECKING:
    from runtime import Services

INVITABLE_ROLES = frozenset({Role.ADMIN, Role.USER})


@dataclass(frozen=True, slots=True)
class InvitationResult:
    """The invitation, and the member when an existing account joined at once."""

    invitation: Invitation
    member: MemberRow | None


def check_invitable_role(role: Role) -> None:
    if role is Role.SUPER_ADMIN:
        raise errors.invalid_role(
            "The Super Admin role is not given by invitation: invite an Admin, then transfer the "
            "Super Admin role to them."
        )
    if role is Role.TECHNICIAN:
        raise errors.invalid_role(
            "Technicians are a partner's staff, assigned to the customer by the partner."
        )
    if role not in INVITABLE_ROLES:
        raise errors.invalid_role("Invite with the role ADMIN or USER.")


def require_role_right(access: OrgAccess, role: Role) -> None:
    """Super Admins and Admins grant ADMIN and USER, technicians USER (domain.authz.policy)."""
    if not can_manage_role(access.role, role):
        raise Forbidden(Action.MEMBER_MANAGE.value)


async def _rate_limit(services: Services, principal: Principal) -> None:
    await limits.per_account(
        services.limiter,
        services.settings.rate_limit_invitation,
        "invitation",
        str(principal.user_id),
    )


async def _organization(session: AsyncSession, organization_id: uuid.UUID) -> Organization:
    organization = await repo.lock_organization(session, organization_id)
    if organization is None:
        raise NotFound("organization", errors.ORGANIZATION_FIELD)
    return organization


async def _inviter(session: AsyncSession, principal: Principal) -> User:
    inviter = await session.get(User, principal.user_id)
    assert inviter is not None  # the principal was read from this row moments ago
    return inviter


# --- invite --------------------------------------------------------------------------------------


async def invite_member(
    services: Services,
    principal: Principal,
    *,
    email: str,
    role: Role,
    organization_id: str | None,
    first_name: str | None,
    last_name: str | None,
    meta: RequestMeta,
) -> InvitationResult:
    settings = services.settings
    # Fetched before the transaction (domain.secrets: a cache miss writes on its own).
    code_key = await services.secrets.account_code_key()
    async with services.db.unit_of_work() as session:
        access = await organization_access(
            session,
            principal,
            organization_id,
            Action.MEMBER_MANAGE,
            field=errors.ORGANIZATION_FIELD,
        )
        v = Validator(errors.INPUT)
        normalized = clean_email(v, "email", email, allow_test_domains=not settings.production)
        first = clean_text(
            v, "firstName", first_name, label="First name", max_length=NAME_MAX, required=False
        )
        last = clean_text(
            v, "lastName", last_name, label="Last name", max_length=NAME_MAX, required=False
        )
        try:
            check_invitable_role(role)
        except UserErrors as exc:
            v.errors.extend(exc.errors)
        v.raise_if_any()
        assert normalized is not None
        require_role_right(access, role)
        await _rate_limit(services, principal)

        inviter = await _inviter(session, principal)
        # The account before the organization: the lock order of domain.members.repository.
        invitee = await _account_for(session, normalized, first or "", last or "")
        organization = await _organization(session, access.organization_id)
        return await _invite(
            session,
            settings,
            organization=organization,
            inviter=inviter,
            invitee=invitee,
            role=role,
            code_key=code_key,
            meta=meta,
        )


async def _account_for(session: AsyncSession, email: str, first_name: str, last_name: str) -> User:
    """The account of ``email``, locked; a new pending one when there is none."""
    user = await repo.user_by_email(session, email)
    if user is None:
        try:
            user = await accounts_repo.add_pending_user(
                session, email=email, first_name=first_name, last_name=last_name
            )
        except accounts_repo.EmailTaken:
            # Another request created it first (a sign-up, another invitation): now it is known.
            user = await repo.user_by_email(session, email)
            assert user is not None
        else:
            return user
    locked = await repo.lock_account(session, user.id)
    assert locked is not None  # accounts are never deleted
    if locked.status is UserStatus.PENDING and not (locked.first_name or locked.last_name):
        # A pending account made by an earlier invitation without a name: take this one's.
        locked.first_name, locked.last_name = first_name, last_name
    return locked


async def _invite(
    session: AsyncSession,
    settings: Settings,
    *,
    organization: Organization,
    inviter: User,
    invitee: User,
    role: Role,
    code_key: bytes,
    meta: RequestMeta,
) -> InvitationResult:
    now = utcnow()
    if (await repo.lock_memberships(session, organization.id, [invitee.id])).get(invitee.id):
        raise errors.already_member()
    earlier = await repo.pending_invitation(session, organization.id, invitee.email)
    if earlier is not None:
        if earlier.expires_at > now:
            raise errors.already_invited()
        # Expired: it keeps its history as EXPIRED and frees the one-pending-per-email slot.
        await repo.settle_invitation(session, earlier.id, InvitationStatus.EXPIRED, now)
    pending = invitee.status is UserStatus.PENDING
    await check_can_join(
        session,
        invitee.id,
        organization,
        now=now,
        max_customer_organizations=settings.max_customer_organizations_per_user,
        count_invitations=pending,
    )
    invitation = Invitation(
        organization_id=organization.id,
        email=invitee.email,
        role=role,
        user_id=invitee.id,
        invited_by_id=inviter.id,
        status=InvitationStatus.PENDING if pending else InvitationStatus.ACCEPTED,
        expires_at=now + timedelta(seconds=settings.invitation_ttl_seconds),
        accepted_at=None if pending else now,
    )
    if not await repo.add_invitation(session, invitation):
        raise errors.already_invited()
    await _audit(session, "invitation.sent", inviter, invitation, meta, joined=not pending)
    if pending:
        await mail_invitation(
            session,
            settings,
            invitee=invitee,
            inviter=inviter,
            organization=organization,
            role=role,
            code_key=code_key,
        )
        return InvitationResult(invitation, None)
    member = await _join(session, settings, invitation, organization, inviter, invitee, meta)
    return InvitationResult(invitation, member)


async def _join(
    session: AsyncSession,
    settings: Settings,
    invitation: Invitation,
    organization: Organization,
    inviter: User,
    invitee: User,
    meta: RequestMeta,
) -> MemberRow:
    """An existing account joins at once; the mail tells its owner."""
    membership = await add_invited_member(
        session,
        user_id=invitee.id,
        email=invitee.email,
        organization_id=organization.id,
        role=invitation.role,
        meta=meta,
    )
    if membership is None:
        raise errors.already_member()
    await _audit(session, "invitation.accepted", inviter, invitation, meta, joined=True)
    await mail_joined(
        session,
        settings,
        member=invitee,
        inviter=inviter,
        organization=organization,
        role=membership.role,  # the first to join an organization without one is Super Admin
    )
    row = await repo.member_row(session, membership.id)
    assert row is not None
    return row


async def _audit(
    session: AsyncSession,
    action: str,
    actor: User,
    invitation: Invitation,
    meta: RequestMeta,
    **details: object,
) -> None:
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=actor.id,
        actor_email=actor.email,
        organization_id=invitation.organization_id,
        target_type="invitation",
        target_id=invitation.id,
        details={
            "email": invitation.email,
            "role": invitation.role.value,
            "user_id": str(invitation.user_id) if invitation.user_id else None,
            **details,
        },
    )


# --- resend and cancel ---------------------------------------------------------------------------


async def _invitation_for_manager(
    session: AsyncSession, principal: Principal, raw_id: str
) -> tuple[Invitation, OrgAccess]:
    """The invitation, if the principal may manage invitations of its role in its organization;
    another organization's invitation is exactly as missing as one that never existed."""
    invitation_id = parse_id(raw_id, "invitation", errors.INVITATION_FIELD)
    invitation = await repo.invitation_by_id(session, invitation_id)
    if invitation is None:
        raise NotFound("invitation", errors.INVITATION_FIELD)
    try:
        access = await organization_access(
            session, principal, invitation.organization_id, Action.MEMBER_MANAGE
        )
    except NotFound:
        raise NotFound("invitation", errors.INVITATION_FIELD) from None
    require_role_right(access, invitation.role)
    return invitation, access


async def resend_invitation(
    services: Services, principal: Principal, *, invitation_id: str, meta: RequestMeta
) -> InvitationResult:
    """A new email (and, for a pending account, a new link and code) and 7 more days.

    If the account was activated meanwhile (an invitation that expired before it activated), it
    joins now, as an existing account would.
    """
    settings = services.settings
    code_key = await services.secrets.account_code_key()
    async with services.db.unit_of_work() as session:
        invitation, access = await _invitation_for_manager(session, principal, invitation_id)
        if invitation.status is not InvitationStatus.PENDING:
            raise errors.invitation_not_pending()
        await _rate_limit(services, principal)
        inviter = await _inviter(session, principal)
        invitee = await _invitee(session, invitation)
        organization = await _organization(session, access.organization_id)
        # Read again under the locks: an activation or a cancellation may have settled it.
        fresh = await repo.invitation_by_id(session, invitation.id, for_update=True)
        if fresh is None or fresh.status is not InvitationStatus.PENDING:
            raise errors.invitation_not_pending()
        invitation = fresh
        now = utcnow()
        if (await repo.lock_memberships(session, organization.id, [invitee.id])).get(invitee.id):
            raise errors.already_member()
        pending = invitee.status is UserStatus.PENDING
        await check_can_join(
            session,
            invitee.id,
            organization,
            now=now,
            max_customer_organizations=settings.max_customer_organizations_per_user,
            count_invitations=pending,
            excluding_invitation=invitation.id,
        )
        expires_at = now + timedelta(seconds=settings.invitation_ttl_seconds)
        await repo.renew_invitation(
            session, invitation.id, expires_at=expires_at, invited_by_id=inviter.id
        )
        invitation.expires_at, invitation.invited_by_id = expires_at, inviter.id
        await _audit(session, "invitation.resent", inviter, invitation, meta, joined=not pending)
        if pending:
            await mail_invitation(
                session,
                settings,
                invitee=invitee,
                inviter=inviter,
                organization=organization,
                role=invitation.role,
                code_key=code_key,
            )
            return InvitationResult(invitation, None)
        await repo.settle_invitation(session, invitation.id, InvitationStatus.ACCEPTED, now)
        invitation.status, invitation.accepted_at = InvitationStatus.ACCEPTED, now
        member = await _join(session, settings, invitation, organization, inviter, invitee, meta)
        return InvitationResult(invitation, member)


async def _invitee(session: AsyncSession, invitation: Invitation) -> User:
    user = await repo.lock_account(session, invitation.user_id) if invitation.user_id else None
    if user is None:
        user = await repo.user_by_email(session, invitation.email)
        user = await repo.lock_account(session, user.id) if user else None
    if user is None:
        raise NotFound("invitation", errors.INVITATION_FIELD)
    return user


async def cancel_invitation(
    session: AsyncSession, principal: Principal, *, invitation_id: str, meta: RequestMeta
) -> Invitation:
    """Withdraw a pending (or expired) invitation. Its activation link stays in the mailbox, but
    activating an account left with nothing to join is refused (domain.members.acceptance)."""
    invitation, _ = await _invitation_for_manager(session, principal, invitation_id)
    now = utcnow()
    if not await repo.settle_invitation(session, invitation.id, InvitationStatus.CANCELLED, now):
        raise errors.invitation_not_pending()
    invitation.status, invitation.cancelled_at = InvitationStatus.CANCELLED, now
    actor = await session.get(User, principal.user_id)
    assert actor is not None
    await _audit(session, "invitation.cancelled", actor, invitation, meta)
    return invitation
