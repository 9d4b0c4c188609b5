from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import Organization as OrganizationRow
from schema.enums import OrganizationStatus, OrganizationType


@strawberry.type(
    name="Organization",
    description="A customer, partner or the vendor's internal organization: the unit members, locations, devices and licenses belong to.",
)
class Organization:
    id: strawberry.ID = strawberry.field(
        description="The organization's id; name it in the `X-Organization-Id` header to work in it."
    )
    type: OrganizationType = strawberry.field(
        description="CUSTOMER, PARTNER or INTERNAL (the vendor's own)."
    )
    status: OrganizationStatus = strawberry.field(
        description="PENDING until its first Super Admin activates, ACTIVE, or SUSPENDED by an internal admin."
    )
    name: str = strawberry.field(description="The organization's display name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code, e.g. DE.")
    address: str | None = strawberry.field(description="Postal address as entered, or null.")
    phone: str | None = strawberry.field(description="Phone number as entered, or null.")
    require_mfa: bool = strawberry.field(
        deprecation_reason="Use `requireTwoFactor`.",
        description="Same as `requireTwoFactor` (kept for older clients).",
    )
    created_at: datetime = strawberry.field(description="When the organization was created.")
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
