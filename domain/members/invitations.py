"""Inviting people into an organization, resending and cancelling invitations.

An invitation is an offer (SECURITY.md): it never adds anyone by itself, and nothing it does
decides what a later sign-up of the address creates (domain.accounts.registration).

* An email without an account gets a pending account that belongs to nothing, with no name (the
  names are the invitee's to set: ``firstName``/``lastName`` of the input only greet them in the
  email), and the ``invitation`` email: an activation link and code bound to this invitation
  (``AccountToken.invitation_id``), living as long as it (7 days). Activating through that link
  accepts this invitation and no other (domain.members.acceptance). Such an account invited again
  gets the new invitation's link (the older link dies; the older invitation stays an offer).
* Any other account — active, disabled, or pending with an organization of its own — is asked:
  the ``invitation_offer`` email tells its owner to sign in and accept or decline it
  (``myInvitations``, ``acceptInvitation``, ``declineInvitation``).
* What the inviter learns: only what they typed — the email, the role, PENDING. Whether the
  address has an account, what kind (the vendor's or a partner's staff), its name: none of that.
  Who may not join is refused when the invitee accepts, and only the invitee hears why.
  ``ALREADY_MEMBER`` and ``ALREADY_INVITED`` tell the inviter what their own Users page shows.

Only ADMIN and USER are granted by invitation: the Super Admin role moves by transfer
(domain.members.service) and technicians are partner staff assigned by their partner. A
technician's invitations (USER only) carry the partner mapping they were sent through: ending the
mapping or the technician's assignment cancels them while pending, and the members they brought
in stay marked for the customer (domain.partners.mappings).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

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
from domain.dependencies import SignupDeps
from domain.enums import InvitationStatus, Role, UserStatus
from domain.errors import Forbidden, NotFound, UserErrors, Validator
from domain.members import errors
from domain.members import repository as repo
from domain.members.mailing import mail_invitation, mail_offer
from kit.clock import utcnow
from settings import Settings

INVITABLE_ROLES = frozenset({Role.ADMIN, Role.USER})


@dataclass(frozen=True, slots=True)
class InvitationResult:
    """The invitation (always PENDING: nobody joins until they accept)."""

    invitation: Invitation


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


async def _rate_limit(deps: SignupDeps, principal: Principal) -> None:
    await limits.per_account(
        deps.limiter,
        deps.settings.rate_limit_invitation,
        "invitation",
        str(principal.user_id),
    )


async def _organization(session: AsyncSession, organization_id: uuid.UUID) -> Organization:
    organization = await repo.lock_organization(session, organization_id)
    if organization is None:
        raise NotFound("organization", errors.ORGANIZATION_FIELD)
    return organization


async def _still_through_partner(session: AsyncSession, access: OrgAccess) -> None:
    """A technician invites through the partner mapping: held while the invitation is made, so
    that ending the mapping (which cancels the mapping's invitations) comes strictly before or
    after. Ended a moment ago: as if the technician had no access any more."""
    if access.via_mapping_id is not None and not await repo.partner_mapping_still_active(
        session, access.via_mapping_id
    ):
        raise NotFound("organization", errors.ORGANIZATION_FIELD)


async def _inviter(session: AsyncSession, principal: Principal) -> User:
    inviter = await accounts_repo.user_by_id(session, principal.user_id)
    assert inviter is not None  # the principal was read from this row moments ago
    return inviter


# --- invite --------------------------------------------------------------------------------------


async def invite_member(
    deps: SignupDeps,
    principal: Principal,
    meta: RequestMeta,
    *,
    email: str,
    role: Role,
    organization_id: str | None,
    first_name: str | None,
    last_name: str | None,
) -> InvitationResult:
    settings = deps.settings
    # Fetched before the transaction (domain.secrets: a cache miss writes on its own).
    code_key = await deps.secrets.account_code_key()
    async with deps.db.unit_of_work() as session:
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
        # Validated like the first name, then unused: names are the invitee's to set.
        clean_text(v, "lastName", last_name, label="Last name", max_length=NAME_MAX, required=False)
        try:
            check_invitable_role(role)
        except UserErrors as exc:
            v.errors.extend(exc.errors)
        v.raise_if_any()
        assert normalized is not None
        require_role_right(access, role)
        await _rate_limit(deps, principal)

        inviter = await _inviter(session, principal)
        # The account before the organization: the lock order of domain.members.repository.
        invitee = await _account_for(session, normalized)
        organization = await _organization(session, access.organization_id)
        await _still_through_partner(session, access)
        return await _invite(
            session,
            settings,
            organization=organization,
            inviter=inviter,
            invitee=invitee,
            role=role,
            partner_mapping_id=access.via_mapping_id,
            greeting=first or "",
            code_key=code_key,
            meta=meta,
        )


async def _account_for(session: AsyncSession, email: str) -> User:
    """The account of ``email``, locked; a new pending one, without a name, when there is none."""
    user = await repo.user_by_email(session, email)
    if user is None:
        try:
            user = await accounts_repo.add_pending_user(
                session, email=email, first_name="", last_name=""
            )
        except accounts_repo.EmailTaken:
            # Another request created it first (a sign-up, another invitation): now it is known.
            user = await repo.user_by_email(session, email)
            assert user is not None
        else:
            return user
    locked = await repo.lock_account(session, user.id)
    assert locked is not None  # accounts are never deleted
    return locked


async def _unclaimed(session: AsyncSession, invitee: User) -> bool:
    """A pending account in no organization: an invitation made it, and only an invitation's
    link can activate it (domain.members.acceptance)."""
    return invitee.status is UserStatus.PENDING and not await repo.has_any_membership(
        session, invitee.id
    )


async def _invite(
    session: AsyncSession,
    settings: Settings,
    *,
    organization: Organization,
    inviter: User,
    invitee: User,
    role: Role,
    partner_mapping_id: uuid.UUID | None,
    greeting: str,
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
    # No eligibility check here: whether the account may join (the vendor's or a partner's staff,
    # 50 organizations) is the invitee's business, judged when they accept.
    invitation = Invitation(
        organization_id=organization.id,
        email=invitee.email,
        role=role,
        user_id=invitee.id,
        invited_by_id=inviter.id,
        partner_mapping_id=partner_mapping_id,
        status=InvitationStatus.PENDING,
        expires_at=now + timedelta(seconds=settings.invitation_ttl_seconds),
        accepted_at=None,
    )
    if not await repo.add_invitation(session, invitation):
        raise errors.already_invited()
    await _audit(session, "invitation.sent", inviter, invitation, meta)
    await _mail(session, settings, invitation, organization, inviter, invitee, greeting, code_key)
    return InvitationResult(invitation)


async def _mail(
    session: AsyncSession,
    settings: Settings,
    invitation: Invitation,
    organization: Organization,
    inviter: User,
    invitee: User,
    greeting: str,
    code_key: bytes,
) -> None:
    if await _unclaimed(session, invitee):
        await mail_invitation(
            session,
            settings,
            invitee=invitee,
            inviter=inviter,
            organization=organization,
            invitation=invitation,
            greeting=greeting,
            code_key=code_key,
        )
    else:
        await mail_offer(
            session,
            settings,
            invitee=invitee,
            inviter=inviter,
            organization=organization,
            role=invitation.role,
        )


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
            "partner_mapping_id": (
                str(invitation.partner_mapping_id) if invitation.partner_mapping_id else None
            ),
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
    deps: SignupDeps, principal: Principal, meta: RequestMeta, *, invitation_id: str
) -> InvitationResult:
    """A new email (and, for an account made by an invitation, a new link and code) and 7 more
    days. It stays an offer: an account activated meanwhile is asked, as any existing one. The
    resender becomes the inviter (and the invitation follows their partner mapping, if any)."""
    settings = deps.settings
    code_key = await deps.secrets.account_code_key()
    async with deps.db.unit_of_work() as session:
        invitation, access = await _invitation_for_manager(session, principal, invitation_id)
        if invitation.status is not InvitationStatus.PENDING:
            raise errors.invitation_not_pending()
        await _rate_limit(deps, principal)
        inviter = await _inviter(session, principal)
        invitee = await _invitee(session, invitation)
        organization = await _organization(session, access.organization_id)
        await _still_through_partner(session, access)
        # Read again under the locks: an activation or a cancellation may have settled it.
        fresh = await repo.invitation_by_id(session, invitation.id, for_update=True)
        if fresh is None or fresh.status is not InvitationStatus.PENDING:
            raise errors.invitation_not_pending()
        invitation = fresh
        now = utcnow()
        if (await repo.lock_memberships(session, organization.id, [invitee.id])).get(invitee.id):
            raise errors.already_member()
        expires_at = now + timedelta(seconds=settings.invitation_ttl_seconds)
        await repo.renew_invitation(
            session,
            invitation.id,
            expires_at=expires_at,
            invited_by_id=inviter.id,
            partner_mapping_id=access.via_mapping_id,
        )
        invitation.expires_at, invitation.invited_by_id = expires_at, inviter.id
        invitation.partner_mapping_id = access.via_mapping_id
        await _audit(session, "invitation.resent", inviter, invitation, meta)
        await _mail(session, settings, invitation, organization, inviter, invitee, "", code_key)
        return InvitationResult(invitation)


async def _invitee(session: AsyncSession, invitation: Invitation) -> User:
    user = await repo.lock_account(session, invitation.user_id) if invitation.user_id else None
    if user is None:
        user = await repo.user_by_email(session, invitation.email)
        user = await repo.lock_account(session, user.id) if user else None
    if user is None:
        raise NotFound("invitation", errors.INVITATION_FIELD)
    return user


async def cancel_invitation(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, invitation_id: str
) -> Invitation:
    """Withdraw a pending (or expired) invitation. Its activation link stays in the mailbox, but
    activating an account left with nothing to join is refused (domain.members.acceptance)."""
    invitation, _ = await _invitation_for_manager(session, principal, invitation_id)
    now = utcnow()
    if not await repo.settle_invitation(session, invitation.id, InvitationStatus.CANCELLED, now):
        raise errors.invitation_not_pending()
    invitation.status, invitation.cancelled_at = InvitationStatus.CANCELLED, now
    actor = await accounts_repo.user_by_id(session, principal.user_id)
    assert actor is not None
    await _audit(session, "invitation.cancelled", actor, invitation, meta)
    return invitation
