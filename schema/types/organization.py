from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.models import Organization as OrganizationRow
from schema.arguments import AFTER, FIRST
from schema.enums import OrganizationStatus, OrganizationType

if TYPE_CHECKING:
    from schema.types.audit import AuditEventConnection
    from schema.types.device import DeviceConnection
    from schema.types.license import LicenseConnection
    from schema.types.location import LocationConnection
    from schema.types.member import MemberConnection
    from schema.types.partner_mapping import PartnerMapping

# The navigable edges: each is its root twin (``Query.devices`` …) with this organization's id,
# so it is exactly as protected (the same resolver, policy and scope) and costs the same.
_SEARCH = strawberry.argument(
    description="Part of the name, serial number, MAC address or model, whatever the case "
    "(at most 200 characters)."
)


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
    require_passkey: bool = strawberry.field(
        default=False,
        description="Members must sign in in a phishing-resistant way: with a passkey (members "
        "without one add one at their next login); set by the Super Admin.",
    )

    @strawberry.field(description="The organization's locations (as `Query.locations`).")  # type: ignore[untyped-decorator]
    async def locations(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[LocationConnection, strawberry.lazy("schema.types.location")]:
        from resolvers.locations import locations

        return await locations(info, organization_id=self.id, first=first, after=after)

    @strawberry.field(description="The organization's devices, oldest first (as `Query.devices`).")  # type: ignore[untyped-decorator]
    async def devices(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        search: Annotated[str | None, _SEARCH] = None,
    ) -> Annotated[DeviceConnection, strawberry.lazy("schema.types.device")]:
        from resolvers.devices import devices

        return await devices(info, organization_id=self.id, first=first, after=after, search=search)

    @strawberry.field(description="The organization's members (as `Query.members`).")  # type: ignore[untyped-decorator]
    async def members(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[MemberConnection, strawberry.lazy("schema.types.member")]:
        from resolvers.members import members

        return await members(info, organization_id=self.id, first=first, after=after)

    @strawberry.field(description="The organization's licenses (as `Query.licenses`).")  # type: ignore[untyped-decorator]
    async def licenses(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[LicenseConnection, strawberry.lazy("schema.types.license")]:
        from resolvers.licenses import licenses

        return await licenses(info, organization_id=self.id, first=first, after=after)

    @strawberry.field(
        description="A customer's support partner, or null (as `Query.supportPartner`)."
    )  # type: ignore[untyped-decorator]
    async def support_partner(
        self, info: strawberry.Info
    ) -> Annotated[PartnerMapping, strawberry.lazy("schema.types.partner_mapping")] | None:
        from resolvers.partner_mappings import support_partner

        return await support_partner(info, organization_id=self.id)

    @strawberry.field(
        description="The organization's audit log, newest first (as `Query.auditEvents`)."
    )  # type: ignore[untyped-decorator]
    async def audit_events(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[AuditEventConnection, strawberry.lazy("schema.types.audit")]:
        from resolvers.audit import audit_events

        return await audit_events(info, organization_id=self.id, first=first, after=after)

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
            require_passkey=row.require_passkey,
            created_at=row.created_at,
        )
