"""Members of an organization and invitations into it (the Users page)."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from db.models import Invitation as InvitationRow
from domain.members.repository import MemberRow
from domain.members.service import invitation_status
from domain.organizations.repository import Contents
from schema.context import Context
from schema.enums import InvitationStatus, Role, UserStatus
from schema.relay import Connection
from schema.types.organization import Organization
from schema.types.user import User


async def _member_invited_by(root: Member, info: strawberry.Info[Context, None]) -> User | None:
    if root.invited_by_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(root.invited_by_id)
    return User.from_row(row) if row is not None else None


@strawberry.type(
    description=(
        "A person's membership of an organization: their account, role and when they joined. "
        "(A partner's technicians are not members: they reach the customer through the partner.)"
    )
)
class Member:
    id: strawberry.ID = strawberry.field(description="The membership's id.")
    user: User = strawberry.field(description="The member's account.")
    role: Role = strawberry.field(description="The member's role in this organization.")
    joined_at: datetime = strawberry.field(
        description="When they became a member of this organization."
    )
    status: UserStatus = strawberry.field(
        description="The account's status: PENDING until the person has activated it."
    )
    added_by_partner: bool = strawberry.field(
        description=(
            "Invited by a partner's technician. Ending the partner mapping removes such members "
            "unless the customer's Super Admin decides to keep them."
        )
    )
    invited_by: User | None = strawberry.field(
        resolver=_member_invited_by,
        description="Who sent the invitation this member accepted (null for the creator).",
    )
    invited_by_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: MemberRow) -> Member:
        return cls(
            id=strawberry.ID(str(row.membership.id)),
            user=User.from_row(row.user),
            role=row.membership.role,
            joined_at=row.membership.created_at,
            status=row.user.status,
            added_by_partner=row.membership.partner_mapping_id is not None,
            invited_by_id=row.membership.invited_by_id,
        )


@strawberry.type(description="A page of members.")
class MemberConnection(Connection[Member]):
    pass


async def _invited_by(root: Invitation, info: strawberry.Info[Context, None]) -> User | None:
    if root.invited_by_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(root.invited_by_id)
    return User.from_row(row) if row is not None else None


async def _organization(root: Invitation, info: strawberry.Info[Context, None]) -> Organization:
    row = await info.context.loaders.organization_by_id.load(root.organization_id)
    assert row is not None  # invitations are reached through their organization
    return Organization.from_row(row)


@strawberry.type(
    description=(
        "An invitation of an email into an organization with a role. It expires 7 days after "
        "it was (re)sent. Nobody joins until the invitee accepts (ACCEPTED) or declines "
        "(DECLINED)."
    )
)
class Invitation:
    id: strawberry.ID = strawberry.field(description="The invitation's id.")
    email: str = strawberry.field(description="The invited email (lower case).")
    role: Role = strawberry.field(description="The role they get on joining: ADMIN or USER.")
    status: InvitationStatus = strawberry.field(
        description="PENDING until accepted or cancelled; EXPIRED once past `expiresAt`."
    )
    invited_at: datetime = strawberry.field(description="When it was sent, or last resent.")
    expires_at: datetime = strawberry.field(
        description="When it stops working: 7 days after it was (re)sent."
    )
    accepted_at: datetime | None = strawberry.field(
        description="When the invited person joined (null until then)."
    )
    cancelled_at: datetime | None = strawberry.field(
        description="When an admin withdrew it (null unless CANCELLED)."
    )
    invited_by: User | None = strawberry.field(
        resolver=_invited_by, description="Who sent (or last resent) it."
    )
    organization: Organization = strawberry.field(
        resolver=_organization, description="The organization the invitation is into."
    )
    invited_by_id: strawberry.Private[uuid.UUID | None]
    organization_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: InvitationRow, now: datetime) -> Invitation:
        return cls(
            id=strawberry.ID(str(row.id)),
            email=row.email,
            role=row.role,
            status=invitation_status(row, now),
            invited_at=row.created_at,
            expires_at=row.expires_at,
            accepted_at=row.accepted_at,
            cancelled_at=row.cancelled_at,
            invited_by_id=row.invited_by_id,
            organization_id=row.organization_id,
        )


@strawberry.type(description="A page of invitations.")
class InvitationConnection(Connection[Invitation]):
    pass


@strawberry.type(description="What still keeps an organization from being deleted.")
class OrganizationContents:
    other_members: int = strawberry.field(description="Members besides the Super Admin.")
    devices: int = strawberry.field(description="Registered devices.")
    licenses: int = strawberry.field(description="Licenses that have not expired.")
    pending_invitations: int = strawberry.field(
        description="Invitations not yet accepted, cancelled or expired."
    )
    partner_mappings: int = strawberry.field(description="Active partner mappings.")

    @classmethod
    def from_contents(cls, contents: Contents) -> OrganizationContents:
        return cls(
            other_members=contents.other_members,
            devices=contents.devices,
            licenses=contents.licenses,
            pending_invitations=contents.pending_invitations,
            partner_mappings=contents.partner_mappings,
        )
