from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import User as UserRow
from schema.enums import UserStatus


@strawberry.type(
    name="User",
    description="A person's account: one email, one password, memberships of one or more organizations.",
)
class User:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    email: str = strawberry.field(
        description="The sign-in email, unique in the platform (stored lower case)."
    )
    first_name: str = strawberry.field(description="The first name given at sign-up or invitation.")
    last_name: str = strawberry.field(description="The last name given at sign-up or invitation.")
    status: UserStatus = strawberry.field(
        description="PENDING until the person sets a password through the activation link; DISABLED cannot sign in."
    )
    created_at: datetime = strawberry.field(
        description="When the account was created (sign-up, invitation or partner approval)."
    )
    mfa_enabled: bool = strawberry.field(
        description="Whether the account signs in with a TOTP code after the password."
    )

    def _display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    display_name: str = strawberry.field(
        resolver=_display_name, description="First and last name, joined by a space."
    )

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        return cls(
            id=strawberry.ID(str(row.id)),
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            status=row.status,
            created_at=row.created_at,
            mfa_enabled=row.totp_enabled_at is not None,
        )
