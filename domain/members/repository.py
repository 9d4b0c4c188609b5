"""Every query of the members area: memberships, the accounts they belong to, invitations.

Locks (PostgreSQL; on SQLite ``BEGIN IMMEDIATE`` already serializes writers and ``FOR UPDATE`` is
not emitted):

* memberships are locked ``FOR UPDATE`` in id order (``lock_memberships``), so that any two
  requests touching the same members — a transfer and a role change, two transfers — queue on the
  same rows in the same order and cannot deadlock;
* an account joining organizations is serialized on its user row (``lock_account``), so that the
  50-organization cap and the partner rules are counted under the lock; its unused activation
  links are locked first, in the order activation takes them;
* the organization row is held ``FOR SHARE`` by whatever adds someone to it and ``FOR UPDATE`` by
  its deletion, so that nobody joins an organization while it is being deleted; while it has no
  Super Admin, joining holds it ``FOR NO KEY UPDATE`` instead (domain.members.first_super_admin:
  the first to join becomes Super Admin and activates it — an UPDATE of this row that would wait
  for the other joiners' share locks while they wait for its Super Admin row);

The order is always: activation links, account, organization, (the partner mapping an invitation
was sent through,) memberships, invitations. Ending a mapping takes the mapping, then its
invitations, then its members (domain.partners.mappings).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AccountToken,
    Invitation,
    Membership,
    Organization,
    PartnerMapping,
    TechnicianAssignment,
    User,
)
from db.savepoint import add_in_savepoint
from domain.enums import (
    InvitationStatus,
    OrganizationType,
    PartnerMappingStatus,
    Role,
    TokenPurpose,
)
from kit.pagination import PageRequest


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A membership with its account (one row of the Users page)."""

    membership: Membership
    user: User

    @property
    def id(self) -> uuid.UUID:
        return self.membership.id


@dataclass(frozen=True, slots=True)
class MemberFilter:
    organization_id: uuid.UUID
    # Every term must match the email, the first or the last name (case-insensitively).
    search_terms: tuple[str, ...] = ()
    role: Role | None = None


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _member_conditions(where: MemberFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Membership.organization_id == where.organization_id]
    if where.role is not None:
        conditions.append(Membership.role == where.role)
    for term in where.search_terms:
        pattern = f"%{_escape_like(term.lower())}%"
        conditions.append(
            or_(
                User.email.like(pattern, escape="\\"),
                func.lower(User.first_name).like(pattern, escape="\\"),
                func.lower(User.last_name).like(pattern, escape="\\"),
            )
        )
    return conditions


async def list_members(
    session: AsyncSession, where: MemberFilter, page: PageRequest
) -> list[MemberRow]:
    """One page (``first + 1`` rows) in the order people joined: one statement, users joined."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(*_member_conditions(where))
        .order_by(Membership.id)
        .limit(page.first + 1)
    )
    if page.after is not None:
        query = query.where(Membership.id > page.after)
    rows = await session.execute(query)
    return [MemberRow(membership, user) for membership, user in rows]


async def count_members(session: AsyncSession, where: MemberFilter) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(*_member_conditions(where))
    )
    return int(count or 0)


async def member_row(session: AsyncSession, membership_id: uuid.UUID) -> MemberRow | None:
    row = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == membership_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    return MemberRow(row[0], row[1]) if row else None


async def lock_memberships(
    session: AsyncSession, organization_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Membership]:
    """The memberships of these users in the organization, locked in id order (see module doc);
    read fresh, whatever the session saw before."""
    rows = await session.scalars(
        select(Membership)
        .where(Membership.organization_id == organization_id, Membership.user_id.in_(user_ids))
        .order_by(Membership.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {m.user_id: m for m in rows}


async def change_role(
    session: AsyncSession, membership_id: uuid.UUID, *, current: Role, new: Role
) -> bool:
    """Conditional: only while the member still has ``current`` (True when it changed)."""
    result = await session.execute(
        update(Membership)
        .where(Membership.id == membership_id, Membership.role == current)
        .values(role=new)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def delete_membership(session: AsyncSession, membership_id: uuid.UUID, role: Role) -> bool:
    """Conditional on the role the caller checked (a concurrent transfer cannot slip through)."""
    result = await session.execute(
        delete(Membership)
        .where(Membership.id == membership_id, Membership.role == role)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def has_super_admin(session: AsyncSession, organization_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Membership.id)
        .where(Membership.organization_id == organization_id, Membership.role == Role.SUPER_ADMIN)
        .limit(1)
    )
    return found is not None


async def add_membership(
    session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID, role: Role
) -> Membership | None:
    """Insert in a savepoint; None when a unique index refused it (already a member, or a second
    Super Admin) — the caller's transaction stays usable."""
    membership = Membership(user_id=user_id, organization_id=organization_id, role=role)
    return membership if await add_in_savepoint(session, membership) else None


async def end_technician_assignments(
    session: AsyncSession, partner_organization_id: uuid.UUID, user_id: uuid.UUID
) -> int:
    """A partner's staff member who leaves the partner is no longer its technician anywhere
    (access already stops without this, see domain.authz.repository; this keeps the data true so
    that joining again does not revive old assignments)."""
    mappings = select(PartnerMapping.id).where(
        PartnerMapping.partner_organization_id == partner_organization_id
    )
    result = await session.execute(
        delete(TechnicianAssignment)
        .where(
            TechnicianAssignment.user_id == user_id, TechnicianAssignment.mapping_id.in_(mappings)
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def cancel_partner_invitations(
    session: AsyncSession,
    mapping_ids: Sequence[uuid.UUID],
    now: datetime,
    *,
    invited_by_id: uuid.UUID | None = None,
) -> list[Invitation]:
    """Cancel the pending invitations sent through these partner mappings (by one technician
    only, with ``invited_by_id``); the invitations cancelled."""
    if not mapping_ids:
        return []
    conditions = [
        Invitation.partner_mapping_id.in_(mapping_ids),
        Invitation.status == InvitationStatus.PENDING,
    ]
    if invited_by_id is not None:
        conditions.append(Invitation.invited_by_id == invited_by_id)
    rows = list(
        await session.scalars(
            select(Invitation).where(*conditions).order_by(Invitation.id).with_for_update()
        )
    )
    if rows:
        await session.execute(
            update(Invitation)
            .where(Invitation.id.in_([r.id for r in rows]), *conditions)
            .values(status=InvitationStatus.CANCELLED, cancelled_at=now)
            .execution_options(synchronize_session=False)
        )
    return rows


async def partner_mapping_still_active(session: AsyncSession, mapping_id: uuid.UUID) -> bool:
    """Whether the mapping is ACTIVE, holding it ``FOR SHARE`` until the end of the transaction:
    ending it (``FOR UPDATE``) waits, and then sees what this transaction made through it."""
    status = await session.scalar(
        select(PartnerMapping.status)
        .where(PartnerMapping.id == mapping_id)
        .with_for_update(read=True)
    )
    return bool(status == PartnerMappingStatus.ACTIVE)


async def mappings_of_partner(
    session: AsyncSession, partner_organization_id: uuid.UUID
) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(PartnerMapping.id).where(
                PartnerMapping.partner_organization_id == partner_organization_id
            )
        )
    )


async def members_added_through(
    session: AsyncSession, mapping_id: uuid.UUID, organization_id: uuid.UUID
) -> list[Membership]:
    """The memberships partner staff brought in through the mapping, locked in id order; the
    Super Admin is not among them (the organization's owner stays, whoever invited them)."""
    return list(
        await session.scalars(
            select(Membership)
            .where(
                Membership.partner_mapping_id == mapping_id,
                Membership.organization_id == organization_id,
                Membership.role != Role.SUPER_ADMIN,
            )
            .order_by(Membership.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


# --- accounts and the organizations they belong to -----------------------------------------------


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result: User | None = await session.scalar(select(User).where(User.email == email))
    return result


async def fresh_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The account as it is now (not as this session may have seen it)."""
    result: User | None = await session.scalar(
        select(User).where(User.id == user_id).execution_options(populate_existing=True)
    )
    return result


async def lock_account(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The account's row, locked — after its unused activation links.

    Activation takes the link first and the account second (domain.accounts.activation); every
    transaction here that may replace a link (an invitation mails a new one) takes them in the
    same order, so that an admin inviting someone at the very moment they activate queues
    instead of deadlocking.
    """
    await session.execute(
        select(AccountToken.id)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose == TokenPurpose.ACTIVATION,
            AccountToken.used_at.is_(None),
            AccountToken.superseded_at.is_(None),
        )
        .order_by(AccountToken.id)
        .with_for_update()
    )
    return await lock_user(session, user_id)


async def lock_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    result: User | None = await session.scalar(
        select(User)
        .where(User.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result


async def lock_organization(
    session: AsyncSession, organization_id: uuid.UUID, *, exclusive: bool = False
) -> Organization | None:
    """The live organization, held ``FOR SHARE`` (joining it) or ``FOR UPDATE`` (deleting it).

    Joining an organization that has no Super Admin yet holds it ``FOR NO KEY UPDATE`` (see the
    module docstring): concurrent first joins queue here, before any of them wrote a row, instead
    of deadlocking. The check runs unlocked; a Super Admin, once there, stays (transfer moves the
    role, nothing removes it), so a stale "none yet" only costs an unneeded exclusive lock.
    """
    query = select(Organization).where(
        Organization.id == organization_id, Organization.deleted_at.is_(None)
    )
    if exclusive:
        query = query.with_for_update()
    elif await has_super_admin(session, organization_id):
        query = query.with_for_update(read=True)
    else:
        query = query.with_for_update(key_share=True)  # FOR NO KEY UPDATE
    result: Organization | None = await session.scalar(
        query.execution_options(populate_existing=True)
    )
    return result


async def organization_types_of_user(
    session: AsyncSession, user_id: uuid.UUID
) -> list[OrganizationType]:
    """The kind of every live organization the user is a member of."""
    rows = await session.scalars(
        select(Organization.type)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user_id, Organization.deleted_at.is_(None))
    )
    return list(rows)


async def invited_organization_types(
    session: AsyncSession, user_id: uuid.UUID, now: datetime, *, excluding: uuid.UUID | None = None
) -> list[OrganizationType]:
    """The kinds of the live organizations with a live invitation for the user: what a pending
    account is about to join when it activates."""
    query = (
        select(Organization.type)
        .join(Invitation, Invitation.organization_id == Organization.id)
        .where(
            Invitation.user_id == user_id,
            _live(now),
            Organization.deleted_at.is_(None),
        )
    )
    if excluding is not None:
        query = query.where(Invitation.id != excluding)
    return list(await session.scalars(query))


# --- invitations ---------------------------------------------------------------------------------


def _live(now: datetime) -> ColumnElement[bool]:
    return and_(Invitation.status == InvitationStatus.PENDING, Invitation.expires_at > now)


def invitation_status_condition(
    status: InvitationStatus | None, now: datetime
) -> ColumnElement[bool]:
    """The stored status and the expiry, as the API shows them (see queries.invitation_status)."""
    if status is None:
        return Invitation.status == InvitationStatus.PENDING
    if status is InvitationStatus.PENDING:
        return _live(now)
    if status is InvitationStatus.EXPIRED:
        return or_(
            Invitation.status == InvitationStatus.EXPIRED,
            and_(Invitation.status == InvitationStatus.PENDING, Invitation.expires_at <= now),
        )
    return Invitation.status == status


async def list_invitations(
    session: AsyncSession,
    organization_id: uuid.UUID,
    condition: ColumnElement[bool],
    page: PageRequest,
) -> list[Invitation]:
    query = (
        select(Invitation)
        .where(Invitation.organization_id == organization_id, condition)
        .order_by(Invitation.id)
        .limit(page.first + 1)
    )
    if page.after is not None:
        query = query.where(Invitation.id > page.after)
    return list(await session.scalars(query))


async def count_invitations(
    session: AsyncSession, organization_id: uuid.UUID, condition: ColumnElement[bool]
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.organization_id == organization_id, condition)
    )
    return int(count or 0)


async def invitation_by_id(
    session: AsyncSession, invitation_id: uuid.UUID, *, for_update: bool = False
) -> Invitation | None:
    query = select(Invitation).where(Invitation.id == invitation_id)
    if for_update:
        query = query.with_for_update()
    result: Invitation | None = await session.scalar(
        query.execution_options(populate_existing=True)
    )
    return result


async def pending_invitation(
    session: AsyncSession, organization_id: uuid.UUID, email: str
) -> Invitation | None:
    """The stored-PENDING invitation of this email (live or expired; at most one, by index)."""
    result: Invitation | None = await session.scalar(
        select(Invitation)
        .where(
            Invitation.organization_id == organization_id,
            Invitation.email == email,
            Invitation.status == InvitationStatus.PENDING,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result


async def add_invitation(session: AsyncSession, invitation: Invitation) -> bool:
    """Insert in a savepoint; False when another pending invitation of the email won a race."""
    return await add_in_savepoint(session, invitation)


async def settle_invitation(
    session: AsyncSession,
    invitation_id: uuid.UUID,
    status: InvitationStatus,
    now: datetime,
) -> bool:
    """Move a PENDING invitation to ``status``; True for exactly one of racing callers (an
    acceptance and a cancellation cannot both happen)."""
    values: dict[str, object] = {"status": status}
    if status is InvitationStatus.ACCEPTED:
        values["accepted_at"] = now
    elif status is InvitationStatus.CANCELLED:
        values["cancelled_at"] = now
    result = await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.status == InvitationStatus.PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def renew_invitation(
    session: AsyncSession,
    invitation_id: uuid.UUID,
    *,
    expires_at: datetime,
    invited_by_id: uuid.UUID,
    partner_mapping_id: uuid.UUID | None,
) -> bool:
    result = await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.status == InvitationStatus.PENDING)
        .values(
            expires_at=expires_at,
            invited_by_id=invited_by_id,
            partner_mapping_id=partner_mapping_id,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def invitation_with_organization(
    session: AsyncSession, invitation_id: uuid.UUID
) -> tuple[Invitation, Organization] | None:
    """The invitation and its live organization, read fresh."""
    row = (
        await session.execute(
            select(Invitation, Organization)
            .join(Organization, Organization.id == Invitation.organization_id)
            .where(Invitation.id == invitation_id, Organization.deleted_at.is_(None))
            .execution_options(populate_existing=True)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def live_invitations_of_user(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> list[tuple[Invitation, Organization]]:
    """The offers waiting for the account's answer (``myInvitations``), oldest first."""
    rows = await session.execute(
        select(Invitation, Organization)
        .join(Organization, Organization.id == Invitation.organization_id)
        .where(Invitation.user_id == user_id, _live(now), Organization.deleted_at.is_(None))
        .order_by(Invitation.id)
    )
    return [(invitation, organization) for invitation, organization in rows]


async def has_memberships(session: AsyncSession, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Membership.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user_id, Organization.deleted_at.is_(None))
        .limit(1)
    )
    return found is not None


async def has_any_membership(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Whether the account belongs to any organization, even one deleted since (an account that
    signed up is its owner's, whatever became of the organization)."""
    found = await session.scalar(
        select(Membership.id).where(Membership.user_id == user_id).limit(1)
    )
    return found is not None
