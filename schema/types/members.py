"""Members of an organization and invitations into it (the Users page)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from db.models import Invitation as InvitationRow
from domain.members import service as members_service
from domain.members.repository import MemberRow
from domain.members.service import invitation_status
from schema.arguments import AFTER, FIRST, ORGANIZATION
from schema.context import Context, context_of
from schema.enums import InvitationStatus, Role, UserStatus
from schema.errors import UserError
from schema.paging import check_search, page_args
from schema.payloads import Payload
from schema.relay import Connection, make_connection
from schema.types.accounts import User
from schema.types.organizations import Organization


async def _member_invited_by(root: Member, info: strawberry.Info[Context, None]) -> User | None:
    if root.invited_by_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(root.invited_by_id)
    return User.from_row(row) if row is not None else None


async def _member_provisioned(root: Member, info: strawberry.Info[Context, None]) -> bool:
    return await info.context.loaders.provisioned_by_membership_id.load(uuid.UUID(root.id))


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
    suspended_at: datetime | None = strawberry.field(
        description=(
            "When the organization's directory deactivated the person over SCIM: the membership "
            "then grants nothing until reactivated (null: it is in force)."
        )
    )
    invited_by: User | None = strawberry.field(
        resolver=_member_invited_by,
        description="Who sent the invitation this member accepted (null for the creator).",
    )
    invited_by_id: strawberry.Private[uuid.UUID | None]
    provisioned: bool = strawberry.field(
        resolver=_member_provisioned,
        description=(
            "Managed by the organization's directory over SCIM: the directory sets this member's "
            "role and active state, and its next sync overwrites a role change made in the "
            "portal (a member removed in the portal is added again unless the directory drops "
            "them too)."
        ),
    )

    @classmethod
    def from_row(cls, row: MemberRow) -> Member:
        return cls(
            id=strawberry.ID(str(row.membership.id)),
            user=User.from_row(row.user),
            role=row.membership.role,
            joined_at=row.membership.created_at,
            status=row.user.status,
            added_by_partner=row.membership.partner_mapping_id is not None,
            suspended_at=row.membership.suspended_at,
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


_ORGANIZATION = "Defaults to the working organization."


# --- inputs and payloads of the mutations (resolvers/members.py)


@strawberry.input(description="Whom to invite into an organization, and with which role.")
class InviteMemberInput:
    email: str = strawberry.field(description="The email to invite.")
    role: Role = strawberry.field(description="ADMIN or USER.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description=_ORGANIZATION
    )
    first_name: str | None = strawberry.field(
        default=None,
        description=(
            "How the invitation email greets a person without an account. Never stored as their "
            "name: the invitee sets their own."
        ),
    )
    last_name: str | None = strawberry.field(
        default=None, description="Not stored (see firstName)."
    )


@strawberry.type(
    description=(
        "The PENDING invitation: only what the inviter typed. Nobody joins until the invitee "
        "accepts; whether the email has an account is not told."
    )
)
class InviteMemberPayload(Payload):
    invitation: Invitation | None = strawberry.field(
        default=None, description="The invitation, PENDING until the invitee accepts or declines."
    )
    member: Member | None = strawberry.field(
        default=None,
        description="Always null: invitations are offers, an existing account is asked.",
        deprecation_reason="Nobody joins at once any more; read `invitation`.",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="An invitation to send again.")
class ResendInvitationInput:
    invitation_id: strawberry.ID = strawberry.field(description="The invitation's id.")


@strawberry.type(description="The invitation sent again, or why not.")
class ResendInvitationPayload(Payload):
    invitation: Invitation | None = strawberry.field(
        default=None, description="The invitation with its new expiry (null on failure)."
    )
    member: Member | None = strawberry.field(
        default=None,
        description="Always null: invitations are offers, an existing account is asked.",
        deprecation_reason="Nobody joins at once any more; read `invitation`.",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="An invitation to withdraw.")
class CancelInvitationInput:
    invitation_id: strawberry.ID = strawberry.field(description="The invitation's id.")


@strawberry.type(description="The withdrawn invitation, or why it could not be.")
class CancelInvitationPayload(Payload):
    invitation: Invitation | None = strawberry.field(
        default=None, description="The invitation, now CANCELLED (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="An invitation you received, to accept.")
class AcceptInvitationInput:
    invitation_id: strawberry.ID = strawberry.field(
        description="The invitation's id (myInvitations)."
    )


@strawberry.type(description="The accepted invitation and your new membership, or why not.")
class AcceptInvitationPayload(Payload):
    invitation: Invitation | None = strawberry.field(
        default=None, description="The invitation, now ACCEPTED (null on failure)."
    )
    member: Member | None = strawberry.field(default=None, description="Your new membership.")
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="An invitation you received, to decline.")
class DeclineInvitationInput:
    invitation_id: strawberry.ID = strawberry.field(
        description="The invitation's id (myInvitations)."
    )


@strawberry.type(description="The declined invitation, or why it could not be.")
class DeclineInvitationPayload(Payload):
    invitation: Invitation | None = strawberry.field(
        default=None, description="The invitation, now DECLINED (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="A member and the role to give them.")
class ChangeMemberRoleInput:
    user_id: strawberry.ID = strawberry.field(description="The member's user id.")
    role: Role = strawberry.field(description="ADMIN or USER.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description=_ORGANIZATION
    )


@strawberry.type(description="The member with the new role, or why not.")
class ChangeMemberRolePayload(Payload):
    member: Member | None = strawberry.field(
        default=None, description="The member after the change (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="A member to remove from an organization.")
class RemoveMemberInput:
    user_id: strawberry.ID = strawberry.field(description="The member's user id.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description=_ORGANIZATION
    )


@strawberry.type(description="Who was removed, or why not.")
class RemoveMemberPayload(Payload):
    removed_user_id: strawberry.ID | None = strawberry.field(
        default=None, description="The removed member's user id (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="An organization the viewer leaves.")
class LeaveOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's id.")


@strawberry.type(description="The organization left, or why not.")
class LeaveOrganizationPayload(Payload):
    left_organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The organization the viewer left (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="Who becomes the organization's Super Admin.")
class TransferSuperAdminInput:
    user_id: strawberry.ID = strawberry.field(description="An active ADMIN of the organization.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description=_ORGANIZATION
    )


@strawberry.type(description="The new and the previous Super Admin, or why not.")
class TransferSuperAdminPayload(Payload):
    super_admin: Member | None = strawberry.field(
        default=None, description="The new Super Admin (null on failure)."
    )
    previous_super_admin: Member | None = strawberry.field(
        default=None, description="You, now an ADMIN."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


# --- list resolvers shared by Query (resolvers/members.py) and other types' edges


async def members(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
    search: Annotated[
        str | None,
        strawberry.argument(
            description="Part of a member's email, first or last name, whatever the case (at most 200 characters)."
        ),
    ] = None,
    role: Annotated[
        Role | None, strawberry.argument(description="Only members with this role.")
    ] = None,
) -> MemberConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    check_search(search)
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    db = ctx.services.db
    async with db.read_session() as session:
        where = await members_service.member_filter(
            session, principal, organization_id=organization_id, search=search, role=role
        )
        rows = await members_service.list_members(session, where, page)

    async def count() -> int:
        async with db.read_session() as session:
            return await members_service.count_members(session, where)

    return make_connection(MemberConnection, rows, Member.from_row, count)
