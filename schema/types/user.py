from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import User as UserRow
from schema.enums import UserStatus


@strawberry.type(name="User")
class User:
    id: strawberry.ID
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    created_at: datetime
    mfa_enabled: bool

    @strawberry.field
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

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
