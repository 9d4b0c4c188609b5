"""The members area's userError codes (stable: clients switch on them).

Refusals that depend on the *actor's* role (a technician granting ADMIN, an admin touching another
organization's Super Admin role) are not here: they are ``Forbidden`` (a GraphQL error), like every
other missing right. These codes describe the *state* of the organization or of the account.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import UserError

INVALID_ROLE = "INVALID_ROLE"
ALREADY_MEMBER = "ALREADY_MEMBER"
ALREADY_INVITED = "ALREADY_INVITED"
TOO_MANY_ORGANIZATIONS = "TOO_MANY_ORGANIZATIONS"
PARTNER_ACCOUNT_NOT_ALLOWED = "PARTNER_ACCOUNT_NOT_ALLOWED"
INTERNAL_ACCOUNT_NOT_ALLOWED = "INTERNAL_ACCOUNT_NOT_ALLOWED"
INVITATION_NOT_PENDING = "INVITATION_NOT_PENDING"
# Accepting an invitation that expired, was withdrawn, or whose organization was deleted.
INVITATION_EXPIRED = "INVITATION_EXPIRED"
CANNOT_CHANGE_SUPER_ADMIN = "CANNOT_CHANGE_SUPER_ADMIN"
CANNOT_REMOVE_SUPER_ADMIN = "CANNOT_REMOVE_SUPER_ADMIN"
SUPER_ADMIN_CANNOT_LEAVE = "SUPER_ADMIN_CANNOT_LEAVE"
NOT_A_MEMBER = "NOT_A_MEMBER"
CANNOT_TRANSFER_TO_SELF = "CANNOT_TRANSFER_TO_SELF"
TARGET_NOT_ADMIN = "TARGET_NOT_ADMIN"
TARGET_NOT_ACTIVE = "TARGET_NOT_ACTIVE"
NO_LONGER_SUPER_ADMIN = "NO_LONGER_SUPER_ADMIN"

INPUT = ("input",)
ROLE_FIELD = ("input", "role")
USER_FIELD = ("input", "userId")
EMAIL_FIELD = ("input", "email")
INVITATION_FIELD = ("input", "invitationId")
ORGANIZATION_FIELD = ("input", "organizationId")


def invalid_role(message: str) -> UserError:
    return UserError(INVALID_ROLE, message, ROLE_FIELD)


def already_member(field: Sequence[str] = EMAIL_FIELD) -> UserError:
    return UserError(ALREADY_MEMBER, "This person is already a member.", field)


def already_invited() -> UserError:
    return UserError(
        ALREADY_INVITED,
        "This email already has a pending invitation: resend or cancel it instead.",
        EMAIL_FIELD,
    )


def too_many_organizations(limit: int, field: Sequence[str] = EMAIL_FIELD) -> UserError:
    return UserError(
        TOO_MANY_ORGANIZATIONS,
        f"This account already belongs to the maximum of {limit} customer organizations.",
        field,
    )


def partner_account_not_allowed(field: Sequence[str] = EMAIL_FIELD) -> UserError:
    return UserError(
        PARTNER_ACCOUNT_NOT_ALLOWED,
        "A partner's staff account belongs to its partner organization only and cannot join "
        "another organization (partner staff reach customers as assigned technicians). Use "
        "another email address.",
        field,
    )


def internal_account_not_allowed(field: Sequence[str] = EMAIL_FIELD) -> UserError:
    return UserError(
        INTERNAL_ACCOUNT_NOT_ALLOWED,
        "This is an account of the vendor's staff; it cannot join an organization. Use "
        "another email address.",
        field,
    )


def invitation_not_pending(field: Sequence[str] = INVITATION_FIELD) -> UserError:
    return UserError(
        INVITATION_NOT_PENDING,
        "This invitation was already accepted, declined or cancelled.",
        field,
    )


def invitation_expired(field: Sequence[str] = INVITATION_FIELD) -> UserError:
    return UserError(
        INVITATION_EXPIRED,
        "This invitation has expired or was withdrawn: ask the organization's administrator "
        "to invite you again.",
        field,
    )


def cannot_change_super_admin() -> UserError:
    return UserError(
        CANNOT_CHANGE_SUPER_ADMIN,
        "The Super Admin's role changes only by transferring the Super Admin role to an Admin.",
        USER_FIELD,
    )


def cannot_remove_super_admin() -> UserError:
    return UserError(
        CANNOT_REMOVE_SUPER_ADMIN,
        "The Super Admin cannot be removed: the Super Admin role must first be transferred to "
        "an Admin.",
        USER_FIELD,
    )


def super_admin_cannot_leave() -> UserError:
    return UserError(
        SUPER_ADMIN_CANNOT_LEAVE,
        "Transfer the Super Admin role to an Admin before leaving the organization, or delete "
        "the organization once it is empty.",
        ORGANIZATION_FIELD,
    )


def not_a_member() -> UserError:
    return UserError(
        NOT_A_MEMBER,
        "You are not a member of this organization (a technician's access ends with the "
        "partner's assignment).",
        ORGANIZATION_FIELD,
    )


def cannot_transfer_to_self() -> UserError:
    return UserError(CANNOT_TRANSFER_TO_SELF, "You already are the Super Admin.", USER_FIELD)


def target_not_admin() -> UserError:
    return UserError(
        TARGET_NOT_ADMIN,
        "Only an Admin can become Super Admin: make this member an Admin first.",
        USER_FIELD,
    )


def target_not_active() -> UserError:
    return UserError(
        TARGET_NOT_ACTIVE,
        "Only an active account can become Super Admin: this member has not activated the "
        "account or is disabled.",
        USER_FIELD,
    )


def no_longer_super_admin() -> UserError:
    return UserError(
        NO_LONGER_SUPER_ADMIN,
        "You are no longer the Super Admin of this organization (the role was just transferred).",
        USER_FIELD,
    )
