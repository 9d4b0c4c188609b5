"""Inputs and payloads of the members mutations."""

from __future__ import annotations

import strawberry

from schema.enums import Role
from schema.errors import UserError
from schema.types.member import Invitation, Member, OrganizationContents

_ORGANIZATION = "Defaults to the working organization."


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
class InviteMemberPayload:
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
class ResendInvitationPayload:
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
class CancelInvitationPayload:
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
class AcceptInvitationPayload:
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
class DeclineInvitationPayload:
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
class ChangeMemberRolePayload:
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
class RemoveMemberPayload:
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
class LeaveOrganizationPayload:
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
class TransferSuperAdminPayload:
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


@strawberry.input(description="The organization to delete, confirmed by its name.")
class DeleteOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's id.")
    confirm_name: str = strawberry.field(description="The organization's name, typed again.")


@strawberry.type(description="The deleted organization, or why it is not deleted.")
class DeleteOrganizationPayload:
    deleted_organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The deleted organization's id (null on failure)."
    )
    remaining: OrganizationContents | None = strawberry.field(
        default=None, description="With ORGANIZATION_NOT_EMPTY: what must go first."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )
