"""Handing the single Super Admin role to an active Admin; the old Super Admin becomes Admin.

Races end one way. Inside one transaction the Super Admin's and the target's memberships are
locked (in id order, like every members change, so no deadlock) and read fresh; then two
conditional updates — Super Admin → ADMIN only while still Super Admin, target ADMIN → SUPER_ADMIN
only while still ADMIN — and the partial unique index (one SUPER_ADMIN per organization) as the
backstop. Two transfers at once: the second finds it is no longer Super Admin
(``NO_LONGER_SUPER_ADMIN``). A transfer and a role change of the target at once: whichever locks
first wins; the transfer then finds no Admin (``TARGET_NOT_ADMIN``), or the role change finds the
Super Admin (``CANNOT_CHANGE_SUPER_ADMIN``). On SQLite ``BEGIN IMMEDIATE`` serializes the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization, User
from domain.audit.service import record
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.enums import Role, UserStatus
from domain.errors import NotFound
from domain.members import errors
from domain.members import repository as repo
from domain.members.mailing import display_name
from domain.members.repository import MemberRow
from mail import outbox
from mail.catalog import Mail, SuperAdminHandedOverMail, SuperAdminReceivedMail
from settings import Settings


@dataclass(frozen=True, slots=True)
class Transfer:
    super_admin: MemberRow
    previous_super_admin: MemberRow


async def transfer_super_admin(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    *,
    user_id: str,
    organization_id: str | None,
    meta: RequestMeta,
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
    await record(
        session,
        "super_admin.transferred",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=organization.id,
        target_type="user",
        target_id=target_id,
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
