"""Organizations' GraphQL face (domain/organizations): ``Organization`` with its navigable
edges, and the inputs and payloads of ``updateOrganization`` and ``deleteOrganization``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.models import Organization as OrganizationRow
from domain.errors import UserErrors
from domain.organizations.errors import NotEmpty
from schema.arguments import AFTER, FIRST
from schema.enums import OrganizationStatus, OrganizationType
from schema.errors import UserError
from schema.payloads import Payload
from schema.types.node import Node

if TYPE_CHECKING:
    from schema.types.audit import AuditEventConnection
    from schema.types.devices import DeviceConnection, DeviceFilter
    from schema.types.licenses import LicenseConnection
    from schema.types.locations import LocationConnection
    from schema.types.members import MemberConnection
    from schema.types.partners import PartnerMapping, PartnerMappingConnection
from domain.organizations.repository import Contents

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
class Organization(Node):
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
    ) -> Annotated[LocationConnection, strawberry.lazy("schema.types.locations")]:
        from schema.types.locations import locations

        return await locations(info, organization_id=self.id, first=first, after=after)

    @strawberry.field(description="The organization's devices, oldest first (as `Query.devices`).")  # type: ignore[untyped-decorator]
    async def devices(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        search: Annotated[str | None, _SEARCH] = None,
        filter: Annotated[
            Annotated[DeviceFilter, strawberry.lazy("schema.types.devices")] | None,
            strawberry.argument(
                description="Narrow the list by location, area, kind and status; every given criterion must hold."
            ),
        ] = None,
    ) -> Annotated[DeviceConnection, strawberry.lazy("schema.types.devices")]:
        from schema.types.devices import devices

        return await devices(
            info, organization_id=self.id, first=first, after=after, search=search, filter=filter
        )

    @strawberry.field(description="The organization's members (as `Query.members`).")  # type: ignore[untyped-decorator]
    async def members(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[MemberConnection, strawberry.lazy("schema.types.members")]:
        from schema.types.members import members

        return await members(info, organization_id=self.id, first=first, after=after)

    @strawberry.field(description="The organization's licenses (as `Query.licenses`).")  # type: ignore[untyped-decorator]
    async def licenses(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[LicenseConnection, strawberry.lazy("schema.types.licenses")]:
        from schema.types.licenses import licenses

        return await licenses(info, organization_id=self.id, first=first, after=after)

    @strawberry.field(
        description="A customer's support partner, or null (as `Query.supportPartner`)."
    )  # type: ignore[untyped-decorator]
    async def support_partner(
        self, info: strawberry.Info
    ) -> Annotated[PartnerMapping, strawberry.lazy("schema.types.partners")] | None:
        from schema.types.partners import support_partner

        return await support_partner(info, organization_id=self.id)

    @strawberry.field(
        description=(
            "A partner's pending invitations from customers, oldest first (as "
            "`Query.partnerInvitations`). Null, with its FORBIDDEN error, for a member who may "
            "not answer them (a partner's User): the rest of the answer stands."
        )
    )  # type: ignore[untyped-decorator]
    async def partner_invitations(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[PartnerMappingConnection, strawberry.lazy("schema.types.partners")] | None:
        from schema.types.partners import partner_invitation_connection

        return await partner_invitation_connection(
            info, organization_id=self.id, first=first, after=after
        )

    @strawberry.field(
        description=(
            "The organization's audit log, newest first (as `Query.auditEvents`). Null, with "
            "its FORBIDDEN error, for a member whose role may not read it (a User, a "
            "technician): the rest of the answer stands, so that a page can ask for it "
            "together with everything else it shows."
        )
    )  # type: ignore[untyped-decorator]
    async def audit_events(
        self,
        info: strawberry.Info,
        action: Annotated[
            str | None,
            strawberry.argument(description="Only this action, exactly, e.g. `member.removed`."),
        ] = None,
        actor_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only events of this actor (a user id)."),
        ] = None,
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Only events at or after this instant (inclusive)."),
        ] = None,
        until: Annotated[
            datetime | None,
            strawberry.argument(description="Only events before this instant (exclusive)."),
        ] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> Annotated[AuditEventConnection, strawberry.lazy("schema.types.audit")] | None:
        from schema.types.audit import audit_events

        return await audit_events(
            info,
            organization_id=self.id,
            action=action,
            actor_id=actor_id,
            since=since,
            until=until,
            first=first,
            after=after,
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
            require_passkey=row.require_passkey,
            created_at=row.created_at,
        )


@strawberry.input(description="An organization's details; a field left out stays as it is.")
class UpdateOrganizationInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which organization (default: the working organization)."
    )
    name: str | None = strawberry.field(
        default=None, description="The display name (1 to 200 characters)."
    )
    address: str | None = strawberry.field(
        default=None, description="The postal address (up to 500 characters; empty clears it)."
    )
    phone: str | None = strawberry.field(
        default=None, description="A phone number such as +49 30 1234567 (empty clears it)."
    )


@strawberry.type(description="The organization with its new details, or why not.")
class UpdateOrganizationPayload(Payload):
    organization: Organization | None = strawberry.field(
        default=None, description="The organization, updated."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; "
        "empty on success.",
    )


@strawberry.type(description="What still keeps an organization from being deleted.")
class OrganizationContents:
    other_members: int = strawberry.field(description="Members besides the Super Admin.")
    devices: int = strawberry.field(description="Registered devices.")
    licenses: int = strawberry.field(description="Licenses that have not expired.")
    pending_invitations: int = strawberry.field(
        description="Invitations not yet accepted, cancelled or expired."
    )
    partner_mappings: int = strawberry.field(description="Active partner mappings.")

    @classmethod
    def from_contents(cls, contents: Contents) -> OrganizationContents:
        return cls(
            other_members=contents.other_members,
            devices=contents.devices,
            licenses=contents.licenses,
            pending_invitations=contents.pending_invitations,
            partner_mappings=contents.partner_mappings,
        )


@strawberry.input(description="The organization to delete, confirmed by its name.")
class DeleteOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's id.")
    confirm_name: str = strawberry.field(description="The organization's name, typed again.")


@strawberry.type(description="The deleted organization, or why it is not deleted.")
class DeleteOrganizationPayload(Payload):
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

    @classmethod
    def refused(cls, error: UserErrors) -> DeleteOrganizationPayload:
        payload = super().refused(error)
        if isinstance(error, NotEmpty):
            payload.remaining = OrganizationContents.from_contents(error.contents)
        return payload
