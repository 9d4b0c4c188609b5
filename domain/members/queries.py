"""Reading members and invitations of one organization the principal may read
(``ORGANIZATION_READ``: every role of the organization, and internal admins anywhere)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.enums import InvitationStatus, Role
from domain.members import repository as repo
from domain.members.repository import MemberFilter, MemberRow
from kit.pagination import Page, PageRequest, make_page

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
