"""Every query of the SCIM area."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Membership,
    Organization,
    ScimGroup,
    ScimGroupMember,
    ScimToken,
    ScimUser,
    User,
)
from db.savepoint import add_in_savepoint
from db.types import UTCDateTime
from domain.authz.acting import usable_organization
from domain.enums import OrganizationType, Role
from kit.text import fold

# --- tokens -------------------------------------------------------------------------------------


async def live_token(session: AsyncSession, organization_id: uuid.UUID) -> ScimToken | None:
    token: ScimToken | None = await session.scalar(
        select(ScimToken)
        .where(ScimToken.organization_id == organization_id, ScimToken.revoked_at.is_(None))
        .with_for_update()
    )
    return token


async def add_token(session: AsyncSession, token: ScimToken) -> bool:
    """False when a racing creation won (one live token per organization)."""
    return await add_in_savepoint(session, token)


async def tokens(session: AsyncSession, organization_id: uuid.UUID, limit: int) -> list[ScimToken]:
    """The organization's tokens, newest first (the live one and those it replaced)."""
    rows = await session.scalars(
        select(ScimToken)
        .where(ScimToken.organization_id == organization_id)
        .order_by(ScimToken.id.desc())
        .limit(limit)
    )
    return list(rows.all())


@dataclass(frozen=True, slots=True)
class Caller:
    """A live token of a usable customer organization: who a SCIM request acts as."""

    token_id: uuid.UUID
    token_hint: str
    organization_id: uuid.UUID


_CALLER = (
    select(ScimToken.id, ScimToken.token_hint, ScimToken.organization_id)
    .join(Organization, Organization.id == ScimToken.organization_id)
    .where(
        ScimToken.token_hash == bindparam("b_hash"),
        ScimToken.revoked_at.is_(None),
        Organization.type == OrganizationType.CUSTOMER,
        usable_organization(),
    )
)


async def caller(session: AsyncSession, token_hash: str) -> Caller | None:
    row = (await session.execute(_CALLER, {"b_hash": token_hash})).first()
    return Caller(*row) if row else None


async def mark_used(session: AsyncSession, token_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(ScimToken)
        .where(ScimToken.id == bindparam("b_id", type_=ScimToken.id.type))
        .values(last_used_at=bindparam("b_now", type_=UTCDateTime()))
        .execution_options(synchronize_session=False),
        {"b_id": token_id, "b_now": now},
    )


# --- users --------------------------------------------------------------------------------------


async def scim_user(
    session: AsyncSession, organization_id: uuid.UUID, scim_id: uuid.UUID, *, lock: bool = False
) -> ScimUser | None:
    query = select(ScimUser).where(
        ScimUser.organization_id == organization_id, ScimUser.id == scim_id
    )
    if lock:
        query = query.with_for_update()
    found: ScimUser | None = await session.scalar(query)
    return found


async def user_name_taken(
    session: AsyncSession,
    organization_id: uuid.UUID,
    user_name_key: str,
    other_than: uuid.UUID | None = None,
) -> bool:
    query = select(ScimUser.id).where(
        ScimUser.organization_id == organization_id, ScimUser.user_name_key == user_name_key
    )
    if other_than is not None:
        query = query.where(ScimUser.id != other_than)
    return await session.scalar(query) is not None


async def account_by_email(session: AsyncSession, email: str) -> User | None:
    found: User | None = await session.scalar(select(User).where(User.email == email))
    return found


async def membership_of(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID
) -> Membership | None:
    found: Membership | None = await session.scalar(
        select(Membership)
        .where(Membership.organization_id == organization_id, Membership.user_id == user_id)
        .with_for_update()
    )
    return found


async def membership(session: AsyncSession, membership_id: uuid.UUID) -> Membership | None:
    found: Membership | None = await session.scalar(
        select(Membership).where(Membership.id == membership_id).with_for_update()
    )
    return found


async def is_linked(session: AsyncSession, membership_id: uuid.UUID) -> bool:
    found = await session.scalar(select(ScimUser.id).where(ScimUser.membership_id == membership_id))
    return found is not None


async def add_rows(session: AsyncSession, *rows: object) -> bool:
    """False when a unique index refused them (a racing twin)."""
    return await add_in_savepoint(session, *rows)


async def delete_membership(session: AsyncSession, membership: Membership) -> None:
    """The membership, its SCIM user and that user's places in the directory's groups (whose
    ETags change); explicitly: SQLite may run without foreign keys."""
    users = select(ScimUser.id).where(ScimUser.membership_id == membership.id).scalar_subquery()
    groups = select(ScimGroupMember.group_id).where(ScimGroupMember.scim_user_id == users)
    for statement in (
        update(ScimGroup).where(ScimGroup.id.in_(groups)).values(version=ScimGroup.version + 1),
        delete(ScimGroupMember).where(ScimGroupMember.scim_user_id == users),
        delete(ScimUser).where(ScimUser.membership_id == membership.id),
        delete(Membership).where(Membership.id == membership.id),
    ):
        await session.execute(statement.execution_options(synchronize_session=False))


@dataclass(frozen=True, slots=True)
class Filter:
    """An equality on one attribute (what Okta and Entra ID send)."""

    attribute: str  # "userName", "externalId" or "id"
    value: str


async def page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    where: Filter | None,
    *,
    offset: int,
    limit: int,
) -> tuple[int, list[ScimUser]]:
    """(total matching, one page in creation order)."""
    conditions = [ScimUser.organization_id == organization_id]
    if where is not None:
        conditions.append(_condition(where))
    total = await session.scalar(
        select(func.count()).select_from(ScimUser).where(and_(*conditions))
    )
    rows: list[ScimUser] = []
    if limit > 0:
        found = await session.scalars(
            select(ScimUser).where(*conditions).order_by(ScimUser.id).offset(offset).limit(limit)
        )
        rows = list(found.all())
    return int(total or 0), rows


def _condition(where: Filter) -> ColumnElement[bool]:
    if where.attribute == "userName":
        return ScimUser.user_name_key == fold(where.value)
    if where.attribute == "externalId":
        return ScimUser.external_id == where.value
    try:
        return ScimUser.id == uuid.UUID(where.value)
    except ValueError:
        return ScimUser.id.is_(None)


def role_is_super_admin(membership: Membership) -> bool:
    return membership.role is Role.SUPER_ADMIN


async def users_with_role(
    session: AsyncSession, organization_id: uuid.UUID, role: Role
) -> list[ScimUser]:
    """The organization's SCIM users whose membership has ``role`` (a Group's members)."""
    rows = await session.scalars(
        select(ScimUser)
        .join(Membership, Membership.id == ScimUser.membership_id)
        .where(ScimUser.organization_id == organization_id, Membership.role == role)
        .order_by(ScimUser.id)
    )
    return list(rows.all())


# --- the directory's own groups ------------------------------------------------------------------


async def scim_group(
    session: AsyncSession, organization_id: uuid.UUID, group_id: uuid.UUID, *, lock: bool = False
) -> ScimGroup | None:
    query = select(ScimGroup).where(
        ScimGroup.organization_id == organization_id, ScimGroup.id == group_id
    )
    if lock:
        query = query.with_for_update()
    found: ScimGroup | None = await session.scalar(query)
    return found


async def group_name_taken(
    session: AsyncSession,
    organization_id: uuid.UUID,
    display_name_key: str,
    other_than: uuid.UUID | None = None,
) -> bool:
    query = select(ScimGroup.id).where(
        ScimGroup.organization_id == organization_id,
        ScimGroup.display_name_key == display_name_key,
    )
    if other_than is not None:
        query = query.where(ScimGroup.id != other_than)
    return await session.scalar(query) is not None


async def group_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    where: Filter | None,
    *,
    offset: int,
    limit: int,
) -> tuple[int, list[ScimGroup]]:
    """(total matching, one page in creation order)."""
    conditions = [ScimGroup.organization_id == organization_id]
    if where is not None:
        conditions.append(_group_condition(where))
    total = await session.scalar(
        select(func.count()).select_from(ScimGroup).where(and_(*conditions))
    )
    rows: list[ScimGroup] = []
    if limit > 0:
        found = await session.scalars(
            select(ScimGroup).where(*conditions).order_by(ScimGroup.id).offset(offset).limit(limit)
        )
        rows = list(found.all())
    return int(total or 0), rows


def _group_condition(where: Filter) -> ColumnElement[bool]:
    if where.attribute == "displayName":
        return ScimGroup.display_name_key == fold(where.value)
    if where.attribute == "externalId":
        return ScimGroup.external_id == where.value
    try:
        return ScimGroup.id == uuid.UUID(where.value)
    except ValueError:
        return ScimGroup.id.is_(None)


@dataclass(frozen=True, slots=True)
class Member:
    """A group's member: its SCIM user, and the display name the directory sent (if any)."""

    user: ScimUser
    display: str | None


async def group_members(
    session: AsyncSession, group_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Member]]:
    """Each group's members, in their creation order (one query for a page)."""
    members: dict[uuid.UUID, list[Member]] = {key: [] for key in group_ids}
    if not group_ids:
        return members
    rows = await session.execute(
        select(ScimGroupMember.group_id, ScimGroupMember.display, ScimUser)
        .join(ScimUser, ScimUser.id == ScimGroupMember.scim_user_id)
        .where(ScimGroupMember.group_id.in_(group_ids))
        .order_by(ScimUser.id)
    )
    for group_id, display, user in rows:
        members[group_id].append(Member(user, display))
    return members


async def users_of(
    session: AsyncSession, organization_id: uuid.UUID, scim_ids: list[uuid.UUID]
) -> list[ScimUser]:
    """The organization's SCIM users among ``scim_ids`` (another organization's are not)."""
    if not scim_ids:
        return []
    rows = await session.scalars(
        select(ScimUser).where(
            ScimUser.organization_id == organization_id, ScimUser.id.in_(scim_ids)
        )
    )
    return list(rows.all())


async def remove_group_members(
    session: AsyncSession, group_id: uuid.UUID, scim_ids: list[uuid.UUID]
) -> None:
    if scim_ids:
        await session.execute(
            delete(ScimGroupMember)
            .where(ScimGroupMember.group_id == group_id, ScimGroupMember.scim_user_id.in_(scim_ids))
            .execution_options(synchronize_session=False)
        )


async def delete_group(session: AsyncSession, group: ScimGroup) -> None:
    """The group and its members' places in it (explicitly: SQLite may run without foreign
    keys)."""
    for statement in (
        delete(ScimGroupMember).where(ScimGroupMember.group_id == group.id),
        delete(ScimGroup).where(ScimGroup.id == group.id),
    ):
        await session.execute(statement.execution_options(synchronize_session=False))


# --- the welcome mail, and what the console shows ------------------------------------------------


async def account(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    found: User | None = await session.get(User, user_id)
    return found


async def organization_name(session: AsyncSession, organization_id: uuid.UUID) -> str:
    name = await session.scalar(select(Organization.name).where(Organization.id == organization_id))
    return str(name or "")


async def provisioned_memberships(
    session: AsyncSession, membership_ids: list[uuid.UUID]
) -> list[bool]:
    """For each membership, whether the organization's directory manages it (a SCIM user links
    it); aligned with ``membership_ids`` (a DataLoader's batch)."""
    linked = set(
        (
            await session.scalars(
                select(ScimUser.membership_id).where(ScimUser.membership_id.in_(membership_ids))
            )
        ).all()
    )
    return [key in linked for key in membership_ids]


async def set_member_display(
    session: AsyncSession, group_id: uuid.UUID, scim_id: uuid.UUID, display: str | None
) -> None:
    await session.execute(
        update(ScimGroupMember)
        .where(ScimGroupMember.group_id == group_id, ScimGroupMember.scim_user_id == scim_id)
        .values(display=display)
        .execution_options(synchronize_session=False)
    )
