"""Changing a member's role, removing a member, leaving an organization.

The rules (PRODUCT.md §2, domain.authz.policy.can_manage_role): Super Admins and Admins manage
ADMIN and USER members, technicians USER members; the Super Admin is neither re-roled nor removed
— the role moves only by transfer (domain.members.transfer). Everyone but the Super Admin may
leave.

Both the actor's and the target's memberships are locked (in id order, see the repository) and
read fresh: what the request's principal said a moment ago may have changed — a concurrent
transfer makes the target Super Admin, a concurrent role change makes the actor a USER — and the
decision is taken on what holds now. Access ends on the very next request: every request reads
the principal's organizations afresh (domain.authz.repository).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership
from domain.audit.service import record
from domain.authz.policy import Action, allows, can_manage_role
from domain.authz.principal import OrgAccess, Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.enums import OrganizationType, Role
from domain.errors import Forbidden, NotFound
from domain.members import errors
from domain.members import repository as repo
from domain.members.invitations import INVITABLE_ROLES
from domain.members.repository import MemberRow
from kit.clock import utcnow


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
    *,
    user_id: str,
    role: Role,
    organization_id: str | None,
    meta: RequestMeta,
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
        await record(
            session,
            "member.role_changed",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            organization_id=access.organization_id,
            target_type="user",
            target_id=target_id,
            details={"from": previous.value, "to": role.value},
        )
    row = await repo.member_row(session, target.id)
    assert row is not None
    return row


async def remove_member(
    session: AsyncSession,
    principal: Principal,
    *,
    user_id: str,
    organization_id: str | None,
    meta: RequestMeta,
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
    await record(
        session,
        "member.removed",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=access.organization_id,
        target_type="user",
        target_id=target_id,
        details={"role": target.role.value},
    )
    return target_id


async def leave_organization(
    session: AsyncSession, principal: Principal, *, organization_id: str, meta: RequestMeta
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
    await record(
        session,
        "member.left",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=access.organization_id,
        target_type="user",
        target_id=principal.user_id,
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
