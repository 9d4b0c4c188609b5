"""Inputs and payloads of the members mutations."""

from __future__ import annotations

import strawberry

from schema.enums import Role
from schema.errors import UserError
from schema.types.member import Invitation, Member, OrganizationContents

_ORGANIZATION = "Defaults to the working organization."


@strawberry.input
class InviteMemberInput:
    email: str
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
    invitation: Invitation | None = None
    member: Member | None = strawberry.field(
        default=None,
        description="Always null: invitations are offers, an existing account is asked.",
        deprecation_reason="Nobody joins at once any more; read `invitation`.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ResendInvitationInput:
    invitation_id: strawberry.ID


@strawberry.type
class ResendInvitationPayload:
    invitation: Invitation | None = None
    member: Member | None = strawberry.field(
        default=None,
        description="Always null: invitations are offers, an existing account is asked.",
        deprecation_reason="Nobody joins at once any more; read `invitation`.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CancelInvitationInput:
    invitation_id: strawberry.ID


@strawberry.type
class CancelInvitationPayload:
    invitation: Invitation | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AcceptInvitationInput:
    invitation_id: strawberry.ID


@strawberry.type
class AcceptInvitationPayload:
    invitation: Invitation | None = None
    member: Member | None = strawberry.field(default=None, description="Your new membership.")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DeclineInvitationInput:
    invitation_id: strawberry.ID


@strawberry.type
class DeclineInvitationPayload:
    invitation: Invitation | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ChangeMemberRoleInput:
    user_id: strawberry.ID
    role: Role = strawberry.field(description="ADMIN or USER.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description=_ORGANIZATION
    )


@strawberry.type
class ChangeMemberRolePayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RemoveMemberInput:
    user_id: strawberry.ID
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description=_ORGANIZATION
    )


@strawberry.type
class RemoveMemberPayload:
    removed_user_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class LeaveOrganizationInput:
    organization_id: strawberry.ID


@strawberry.type
class LeaveOrganizationPayload:
    left_organization_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TransferSuperAdminInput:
    user_id: strawberry.ID = strawberry.field(description="An active ADMIN of the organization.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description=_ORGANIZATION
    )


@strawberry.type
class TransferSuperAdminPayload:
    super_admin: Member | None = None
    previous_super_admin: Member | None = strawberry.field(
        default=None, description="You, now an ADMIN."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DeleteOrganizationInput:
    organization_id: strawberry.ID
    confirm_name: str = strawberry.field(description="The organization's name, typed again.")


@strawberry.type
class DeleteOrganizationPayload:
    deleted_organization_id: strawberry.ID | None = None
    remaining: OrganizationContents | None = strawberry.field(
        default=None, description="With ORGANIZATION_NOT_EMPTY: what must go first."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
