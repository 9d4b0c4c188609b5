"""The members area's use cases on memberships: reading members and invitations, changing a
member's role, removing a member, leaving an organization, handing over the Super Admin role.

The area's invitation use cases live beside it, each too large to join this one:
``invitations`` (invite, resend, cancel) and ``acceptance`` (the invitee accepts or declines; an
activation accepts its own invitation). ``eligibility``, ``first_super_admin`` and ``mailing`` are
rules they share; ``repository`` holds every query and lock, ``errors`` the codes.

* Reads need ``ORGANIZATION_READ`` (every role of the organization, and internal admins
  anywhere).
* Roles (PRODUCT.md §2, domain.authz.policy.can_manage_role): Super Admins and Admins manage ADMIN
  and USER members, technicians USER members; the Super Admin is neither re-roled nor removed —
  the role moves only by transfer. Everyone but the Super Admin may leave. Both the actor's and
  the target's memberships are locked (in id order, see the repository) and read fresh: what the
  request's principal said a moment ago may have changed — a concurrent transfer makes the target
  Super Admin, a concurrent role change makes the actor a USER — and the decision is taken on what
  holds now. Access ends on the very next request: every request reads the principal's
  organizations afresh (domain.authz.repository).
* The transfer hands the single Super Admin role to an active Admin; the old Super Admin becomes
  Admin. Races end one way. Inside one transaction the Super Admin's and the target's memberships
  are locked (in id order, like every members change, so no deadlock) and read fresh; then two
  conditional updates — Super Admin → ADMIN only while still Super Admin, target ADMIN →
  SUPER_ADMIN only while still ADMIN — and the partial unique index (one SUPER_ADMIN per
  organization) as the backstop. Two transfers at once: the second finds it is no longer Super
  Admin (``NO_LONGER_SUPER_ADMIN``). A transfer and a role change of the target at once:
  whichever locks first wins; the transfer then finds no Admin (``TARGET_NOT_ADMIN``), or the role
  change finds the Super Admin (``CANNOT_CHANGE_SUPER_ADMIN``). On SQLite ``BEGIN IMMEDIATE``
  serializes the same way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation, Membership, Organization, User
from domain.audit.service import record_by
from domain.authz.policy import Action, allows, can_manage_role
from domain.authz.principal import OrgAccess, Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.enums import InvitationStatus, OrganizationType, Role, UserStatus
from domain.errors import Forbidden, NotFound
from domain.members import errors
from domain.members import repository as repo
from domain.members.invitations import INVITABLE_ROLES
from domain.members.mailing import display_name
from domain.members.repository import MemberFilter, MemberRow
from kit.clock import utcnow
from kit.pagination import Page, PageRequest, make_page
from mail import outbox
from mail.catalog import Mail, SuperAdminHandedOverMail, SuperAdminReceivedMail
from settings import Settings

# --- reading --------------------------------------------------------------------------------------


_ARGUMENT = ("organizationId",)


def invitation_status(invitation: Invitation, now: datetime) -> InvitationStatus:
    """The status a client sees: a pending invitation past ``expires_at`` is EXPIRED."""
    if invitation.status is InvitationStatus.PENDING and invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return invitation.status


def search_terms(search: str | None) -> tuple[str, ...]:
    return tuple(search.split()) if search else ()


async def member_filter(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str | None,
    search: str | None,
    role: Role | None,
) -> MemberFilter:
    access = await organization_access(
        session, principal, organization_id, Action.ORGANIZATION_READ, field=_ARGUMENT
    )
    return MemberFilter(access.organization_id, search_terms(search), role)


async def list_members(
    session: AsyncSession, where: MemberFilter, page: PageRequest
) -> Page[MemberRow]:
    return make_page(await repo.list_members(session, where, page), page)


async def count_members(session: AsyncSession, where: MemberFilter) -> int:
    return await repo.count_members(session, where)


async def my_invitations(
    session: AsyncSession, principal: Principal, now: datetime
) -> list[Invitation]:
    """The live invitations addressed to the principal's own account (nobody else's)."""
    return [row for row, _ in await repo.live_invitations_of_user(session, principal.user_id, now)]


async def member_row(session: AsyncSession, membership_id: uuid.UUID) -> MemberRow:
    row = await repo.member_row(session, membership_id)
    assert row is not None
    return row


@dataclass(frozen=True, slots=True)
class InvitationFilter:
    organization_id: uuid.UUID
    status: InvitationStatus | None
    now: datetime

    @property
    def condition(self) -> ColumnElement[bool]:
        return repo.invitation_status_condition(self.status, self.now)


async def invitation_filter(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str | None,
    status: InvitationStatus | None,
    now: datetime,
) -> InvitationFilter:
    access = await organization_access(
        session, principal, organization_id, Action.ORGANIZATION_READ, field=_ARGUMENT
    )
    return InvitationFilter(access.organization_id, status, now)


async def list_invitations(
    session: AsyncSession, where: InvitationFilter, page: PageRequest
) -> Page[Invitation]:
    rows = await repo.list_invitations(session, where.organization_id, where.condition, page)
    return make_page(rows, page)


async def count_invitations(session: AsyncSession, where: InvitationFilter) -> int:
    return await repo.count_invitations(session, where.organization_id, where.condition)


# --- roles, removal, leaving ----------------------------------------------------------------------


async def _locked_pair(
    session: AsyncSession, principal: Principal, access: OrgAccess, target_id: uuid.UUID
) -> tuple[OrgAccess, Membership]:
    """The actor's current access and the target's membership, both locked."""
    users = [target_id]
    # A technician's path is an assignment, a service account's its own row (read with the
    # principal, and its role never changes): only members' memberships are re-read here.
    member_actor = access.role is not Role.TECHNICIAN and not principal.is_service_account
    if member_actor and principal.user_id != target_id:
        users.append(principal.user_id)
    locked = await repo.lock_memberships(session, access.organization_id, users)
    if member_actor:
        mine = locked.get(principal.user_id)
        if mine is None:
            # Removed a moment ago: no path any more.
            raise NotFound("organization", errors.ORGANIZATION_FIELD)
        access = OrgAccess(access.organization_id, access.organization_type, mine.role)
        if not allows(access, Action.MEMBER_MANAGE):
            raise Forbidden(Action.MEMBER_MANAGE.value)
    target = locked.get(target_id)
    if target is None:
        raise NotFound("member", errors.USER_FIELD)
    return access, target


async def change_member_role(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    user_id: str,
    role: Role,
    organization_id: str | None,
) -> MemberRow:
    access = await organization_access(
        session, principal, organization_id, Action.MEMBER_MANAGE, field=errors.ORGANIZATION_FIELD
    )
    target_id = parse_id(user_id, "member", errors.USER_FIELD)
    if role not in INVITABLE_ROLES:
        raise errors.invalid_role(
            "Use transferSuperAdmin to hand over the Super Admin role."
            if role is Role.SUPER_ADMIN
            else "A member's role is ADMIN or USER."
        )
    access, target = await _locked_pair(session, principal, access, target_id)
    if target.role is Role.SUPER_ADMIN:
        raise errors.cannot_change_super_admin()
    if not (can_manage_role(access.role, target.role) and can_manage_role(access.role, role)):
        raise Forbidden(Action.MEMBER_MANAGE.value)
    previous = target.role
    if previous is not role:
        changed = await repo.change_role(session, target.id, current=previous, new=role)
        assert changed  # the row is locked: nobody changed it since it was read
        await record_by(
            session,
            principal,
            meta,
            "member.role_changed",
            target=("user", target_id),
            organization_id=access.organization_id,
            details={"from": previous.value, "to": role.value},
        )
    row = await repo.member_row(session, target.id)
    assert row is not None
    return row


async def remove_member(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    user_id: str,
    organization_id: str | None,
) -> uuid.UUID:
    """Remove a member (yourself included, unless you are the Super Admin); the user id."""
    access = await organization_access(
        session, principal, organization_id, Action.MEMBER_MANAGE, field=errors.ORGANIZATION_FIELD
    )
    target_id = parse_id(user_id, "member", errors.USER_FIELD)
    access, target = await _locked_pair(session, principal, access, target_id)
    if target.role is Role.SUPER_ADMIN:
        raise errors.cannot_remove_super_admin()
    if not can_manage_role(access.role, target.role):
        raise Forbidden(Action.MEMBER_MANAGE.value)
    await _end_membership(session, access, target)
    await record_by(
        session,
        principal,
        meta,
        "member.removed",
        target=("user", target_id),
        organization_id=access.organization_id,
        details={"role": target.role.value},
    )
    return target_id


async def leave_organization(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, organization_id: str
) -> uuid.UUID:
    """End your own membership; the organization's id."""
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.ORGANIZATION_READ,
        field=errors.ORGANIZATION_FIELD,
    )
    if access.role is Role.INTERNAL_ADMIN:
        # The vendor's staff are managed with the command line, not by leaving.
        raise Forbidden(Action.ORGANIZATION_READ.value)
    locked = await repo.lock_memberships(session, access.organization_id, [principal.user_id])
    mine = locked.get(principal.user_id)
    if mine is None:
        raise errors.not_a_member()
    if mine.role is Role.SUPER_ADMIN:
        raise errors.super_admin_cannot_leave()
    await _end_membership(session, access, mine)
    await record_by(
        session,
        principal,
        meta,
        "member.left",
        target=("user", principal.user_id),
        organization_id=access.organization_id,
        details={"role": mine.role.value},
    )
    return access.organization_id


async def _end_membership(session: AsyncSession, access: OrgAccess, membership: Membership) -> None:
    deleted = await repo.delete_membership(session, membership.id, membership.role)
    assert deleted  # locked since it was read
    if access.organization_type is OrganizationType.PARTNER:
        await repo.end_technician_assignments(session, access.organization_id, membership.user_id)
        # What they set in motion as a technician ends with them (SECURITY.md).
        mapping_ids = await repo.mappings_of_partner(session, access.organization_id)
        await repo.cancel_partner_invitations(
            session, mapping_ids, utcnow(), invited_by_id=membership.user_id
        )


# --- the Super Admin transfer ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Transfer:
    super_admin: MemberRow
    previous_super_admin: MemberRow


async def transfer_super_admin(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    settings: Settings,
    user_id: str,
    organization_id: str | None,
) -> Transfer:
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.SUPER_ADMIN_TRANSFER,
        field=errors.ORGANIZATION_FIELD,
    )
    target_id = parse_id(user_id, "member", errors.USER_FIELD)
    if target_id == principal.user_id:
        raise errors.cannot_transfer_to_self()
    organization = await repo.lock_organization(session, access.organization_id)
    if organization is None:
        raise NotFound("organization", errors.ORGANIZATION_FIELD)
    locked = await repo.lock_memberships(session, organization.id, [principal.user_id, target_id])
    mine, target = locked.get(principal.user_id), locked.get(target_id)
    if mine is None or mine.role is not Role.SUPER_ADMIN:
        raise errors.no_longer_super_admin()
    if target is None:
        raise NotFound("member", errors.USER_FIELD)
    if target.role is not Role.ADMIN:
        raise errors.target_not_admin()
    target_user = await repo.fresh_user(session, target_id)
    if target_user is None or target_user.status is not UserStatus.ACTIVE:
        raise errors.target_not_active()
    try:
        async with session.begin_nested():
            if not await repo.change_role(
                session, mine.id, current=Role.SUPER_ADMIN, new=Role.ADMIN
            ):
                raise errors.no_longer_super_admin()
            if not await repo.change_role(
                session, target.id, current=Role.ADMIN, new=Role.SUPER_ADMIN
            ):
                raise errors.target_not_admin()
    except IntegrityError:
        # Another Super Admin appeared despite the locks (the index said so): nothing changed.
        raise errors.no_longer_super_admin() from None
    await record_by(
        session,
        principal,
        meta,
        "super_admin.transferred",
        target=("user", target_id),
        organization_id=organization.id,
        details={"from_user_id": str(principal.user_id), "to_user_id": str(target_id)},
    )
    new_row = await repo.member_row(session, target.id)
    old_row = await repo.member_row(session, mine.id)
    assert new_row is not None and old_row is not None
    await _mail_both(session, settings, organization, old_row.user, new_row.user)
    return Transfer(super_admin=new_row, previous_super_admin=old_row)


async def _mail_both(
    session: AsyncSession,
    settings: Settings,
    organization: Organization,
    previous: User,
    new: User,
) -> None:
    """Both people hear of it: the new Super Admin of the role, the old one of the hand-over (if
    it was not them, they learn at once)."""
    mails: tuple[tuple[User, Mail], ...] = (
        (
            new,
            SuperAdminReceivedMail(
                first_name=new.first_name or "there",
                organization_name=organization.name,
                previous_super_admin_name=display_name(previous),
            ),
        ),
        (
            previous,
            SuperAdminHandedOverMail(
                first_name=previous.first_name or "there",
                organization_name=organization.name,
                new_super_admin_name=display_name(new),
            ),
        ),
    )
    for to, mail in mails:
        await outbox.enqueue(session, mail=mail, to=to.email, public_url=settings.public_url)


__all__ = ["Transfer", "transfer_super_admin"]
