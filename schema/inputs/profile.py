"""Inputs and payloads of the viewer's own account mutations (resolvers/profile.py)."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.types.user import User

_ERRORS = "Expected failures, each with a stable code and the input it is about; empty on success."


@strawberry.input(description="The viewer's names; a field left out stays as it is.")
class UpdateProfileInput:
    first_name: str | None = strawberry.field(
        default=None, description="The first name (up to 100 characters; empty clears it)."
    )
    last_name: str | None = strawberry.field(
        default=None, description="The last name (up to 100 characters; empty clears it)."
    )


@strawberry.type(description="The viewer's account with its new names, or why not.")
class UpdateProfilePayload:
    user: User | None = strawberry.field(default=None, description="The account, updated.")
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)


@strawberry.input(description="The current password, asked again, and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The account's current password.")
    new_password: str = strawberry.field(
        description="The new password (the same policy as at activation and reset)."
    )


@strawberry.type(description="Whether the password changed, or why not.")
class ChangePasswordPayload:
    changed: bool = strawberry.field(
        default=False,
        description="True once the new password is set: every session and token of the account, "
        "the caller's too, has ended; sign in again with the new password.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)


@strawberry.input(description="The session to sign out (one of `viewer.sessions`).")
class EndSessionInput:
    id: strawberry.ID = strawberry.field(description="The session's id.")


@strawberry.type(description="The session signed out, or why not.")
class EndSessionPayload:
    ended_session_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the session that ended."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)


@strawberry.type(description="How many other sessions were signed out.")
class EndOtherSessionsPayload:
    ended_count: int = strawberry.field(
        default=0, description="How many sessions other than the caller's ended."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)
