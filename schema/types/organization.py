from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import Organization as OrganizationRow
from schema.enums import OrganizationStatus, OrganizationType


@strawberry.type(name="Organization")
class Organization:
    id: strawberry.ID
    type: OrganizationType
    status: OrganizationStatus
    name: str
    country: str
    address: str | None
    phone: str | None
    require_mfa: bool = strawberry.field(deprecation_reason="Use `requireTwoFactor`.")
    created_at: datetime
    require_two_factor: bool = strawberry.field(
        description="Members must log in with a second factor (TOTP); set by the Super Admin."
    )

    @classmethod
    def from_row(cls, row: OrganizationRow) -> Organization:
        return cls(
            id=strawberry.ID(str(row.id)),
            type=row.type,
            status=row.status,
            name=row.name,
            country=row.country,
            address=row.address,
            phone=row.phone,
            require_mfa=row.require_mfa,
            require_two_factor=row.require_mfa,
            created_at=row.created_at,
        )
