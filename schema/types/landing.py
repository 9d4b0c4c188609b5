"""The landing page after login: what the viewer's working organization calls for."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization as OrganizationRow
from domain.devices import repository as devices_repo
from domain.devices.types import DeviceCounts as DeviceCountsValue
from domain.enums import PartnerAccessScope, PartnerRequestStatus
from domain.licenses.repository import SummaryCounts
from domain.partners.service import (
    MappedCustomer,
    count_customers,
    get_customer,
    list_customers,
)
from kit.clock import utcnow
from schema.arguments import AFTER, FIRST
from schema.context import context_of
from schema.dataloaders import licenses as license_loaders
from schema.dataloaders import partners as partner_loaders
from schema.enums import describe_values
from schema.errors import ErrorCode, PortalGraphQLError
from schema.execution import preloaded
from schema.lookahead import selected_below
from schema.paging import page_args
from schema.relay import Connection, make_connection
from schema.types.admin import AdminNotificationSettings, admin_notification_settings
from schema.types.licenses import AppTile, LicenseSummary, app_tiles_for
from schema.types.locations import DeviceCounts
from schema.types.organizations import Organization
from schema.types.partners import (
    PartnerRequestConnection,
    TechnicianConnection,
    partner_request_connection,
    technicians_of,
)
from settings import Settings

SEARCH_MAX_LENGTH = 200


@strawberry.enum(description="The sections of the customer portal's menu.")
class MenuKey(Enum):
    LOCATIONS = "LOCATIONS"
    DEVICES = "DEVICES"
    USERS = "USERS"
    LICENSES = "LICENSES"


describe_values(
    MenuKey,
    {
        "LOCATIONS": "Locations: the organization's sites and their areas.",
        "DEVICES": "Devices: the cameras and recorders.",
        "USERS": "Users: the members and invitations.",
        "LICENSES": "Licenses: the product licenses and their seats.",
    },
)


@strawberry.type(description="One entry of the customer portal's menu.")
class MenuItem:
    key: MenuKey = strawberry.field(description="Which section the entry opens.")
    label: str = strawberry.field(description='The entry\'s text, e.g. "Locations".')


CUSTOMER_MENU = (
    MenuItem(key=MenuKey.LOCATIONS, label="Locations"),
    MenuItem(key=MenuKey.DEVICES, label="Devices"),
    MenuItem(key=MenuKey.USERS, label="Users"),
    MenuItem(key=MenuKey.LICENSES, label="Licenses"),
)


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """Counts of one customer loaded with its page, as the fields answer them (``None``: not
    loaded, the field loads it)."""

    location_count: int | None = None
    device_counts: DeviceCounts | None = None
    license_summary: LicenseSummary | None = None


NO_FACTS = CustomerFacts()
_FACT_FIELDS = frozenset({"locationCount", "deviceCounts", "licenseSummary"})


async def _device_counts_of(info: strawberry.Info, organization_id: uuid.UUID) -> DeviceCounts:
    loader = context_of(info).loaders.device_counts_by_organization_id
    return DeviceCounts.from_value(await loader.load(organization_id))


async def _license_summary_of(info: strawberry.Info, organization_id: uuid.UUID) -> LicenseSummary:
    loader = context_of(info).loaders.license_summary_by_organization_id
    return LicenseSummary.from_counts(await loader.load(organization_id))


async def customer_facts(
    session: AsyncSession,
    settings: Settings,
    organization_ids: list[uuid.UUID],
    wanted: frozenset[str],
) -> dict[uuid.UUID, CustomerFacts]:
    """The counts the client asked for, for every customer of a page at once: the statements the
    fields' DataLoaders would run (one per kind of count), in the page's own read session."""
    if not organization_ids or not wanted & _FACT_FIELDS:
        return {}
    none: list[None] = [None] * len(organization_ids)
    locations: Sequence[int | None] = none
    devices: Sequence[DeviceCountsValue | None] = none
    licenses: Sequence[SummaryCounts | None] = none
    if "locationCount" in wanted:
        locations = await partner_loaders.location_counts_by_organization(session, organization_ids)
    if "deviceCounts" in wanted:
        devices = await devices_repo.device_counts_by_organization(session, organization_ids)
    if "licenseSummary" in wanted:
        summaries = license_loaders.summaries_by_organization(settings)
        licenses = await summaries(session, organization_ids)
    return {
        key: CustomerFacts(
            location,
            None if device is None else DeviceCounts.from_value(device),
            None if license is None else LicenseSummary.from_counts(license),
        )
        for key, location, device, license in zip(
            organization_ids, locations, devices, licenses, strict=True
        )
    }


@strawberry.type(
    description=(
        "A customer organization the partner supports, with what the partner's landing page "
        "shows of it (counts only: the customer's data is for its assigned technicians)."
    )
)
class Customer:
    id: strawberry.ID = strawberry.field(description="The customer organization's id.")
    name: str = strawberry.field(description="The customer organization's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code, e.g. DE.")

    # Built from ``organization_row`` only when a client asks for it.
    def _organization(self) -> Organization:
        return Organization.from_row(self.organization_row)

    organization: Organization = strawberry.field(
        resolver=_organization,
        description="The customer organization as every other part of the API shows it.",
    )
    mapped_at: datetime = strawberry.field(description="Since when the partner supports it.")
    mapping_id: strawberry.ID = strawberry.field(
        description="The partner mapping (to end it, or to find it in the audit log)."
    )
    access_scope: PartnerAccessScope = strawberry.field(
        description="Which of its technicians' powers the customer grants the partner."
    )
    access_expires_at: datetime = strawberry.field(
        description="When the customer's grant ends (its technicians cannot work there after)."
    )
    access_expired: bool = strawberry.field(
        description="Whether the grant's end date has passed (ask the customer for an extension)."
    )
    extension_requested_until: datetime | None = strawberry.field(
        description="The end date the partner asked for, while the customer has not answered."
    )
    organization_id: strawberry.Private[uuid.UUID]
    mapping_pk: strawberry.Private[uuid.UUID]
    # What the page's resolver already loaded (see ``customer_facts``); empty elsewhere.
    facts: strawberry.Private[CustomerFacts]
    organization_row: strawberry.Private[OrganizationRow]

    # Synchronous when the page loaded the value (no coroutine per customer and field, and the
    # executor's short path reads it without calling these: schema/execution.py); else the
    # customer loads its own through the same DataLoader.
    @preloaded("facts.location_count")
    def _location_count(self, info: strawberry.Info) -> int | Awaitable[int]:
        if self.facts.location_count is not None:
            return self.facts.location_count
        return context_of(info).loaders.location_count_by_organization_id.load(self.organization_id)

    @preloaded("facts.device_counts")
    def _device_counts(self, info: strawberry.Info) -> DeviceCounts | Awaitable[DeviceCounts]:
        if self.facts.device_counts is not None:
            return self.facts.device_counts
        return _device_counts_of(info, self.organization_id)

    @preloaded("facts.license_summary")
    def _license_summary(self, info: strawberry.Info) -> LicenseSummary | Awaitable[LicenseSummary]:
        if self.facts.license_summary is not None:
            return self.facts.license_summary
        return _license_summary_of(info, self.organization_id)

    async def _technicians(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> TechnicianConnection:
        return await technicians_of(info, self.mapping_pk, first, after)

    location_count: int | Awaitable[int] = strawberry.field(
        resolver=_location_count,
        graphql_type=int,
        description="How many locations the customer has.",
    )
    device_counts: DeviceCounts | Awaitable[DeviceCounts] = strawberry.field(
        resolver=_device_counts,
        graphql_type=DeviceCounts,
        description="The customer's devices counted by status.",
    )
    license_summary: LicenseSummary | Awaitable[LicenseSummary] = strawberry.field(
        resolver=_license_summary,
        graphql_type=LicenseSummary,
        description="The customer's licenses counted by status.",
    )
    technicians: TechnicianConnection = strawberry.field(
        resolver=_technicians,
        description="The partner's staff assigned to it, oldest assignment first.",
    )

    @classmethod
    def from_mapped(cls, row: MappedCustomer, facts: CustomerFacts | None = None) -> Customer:
        return cls(
            id=strawberry.ID(str(row.organization.id)),
            name=row.organization.name,
            country=row.organization.country,
            mapped_at=row.mapped_at,
            mapping_id=strawberry.ID(str(row.id)),
            access_scope=row.access_scope,
            access_expires_at=row.access_expires_at,
            access_expired=row.access_expires_at <= utcnow(),
            extension_requested_until=row.extension_requested_until,
            organization_id=row.organization.id,
            mapping_pk=row.id,
            facts=facts or NO_FACTS,
            organization_row=row.organization,
        )


@strawberry.type(description="A page of a partner's customers.")
class CustomerConnection(Connection[Customer]):
    pass


async def _app_tiles(root: CustomerLanding, info: strawberry.Info) -> list[AppTile]:
    return await app_tiles_for(context_of(info), str(root.organization_id))


def _menu() -> list[MenuItem]:
    return list(CUSTOMER_MENU)


async def _customers(
    root: PartnerLanding,
    info: strawberry.Info,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
    search: Annotated[
        str | None,
        strawberry.argument(
            description="Part of the customer's name, whatever the case (at most 200 characters)."
        ),
    ] = None,
) -> CustomerConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    if search is not None and len(search) > SEARCH_MAX_LENGTH:
        raise PortalGraphQLError(
            f"`search` must be at most {SEARCH_MAX_LENGTH} characters long.",
            ErrorCode.BAD_USER_INPUT,
        )
    db = ctx.services.db
    wanted = selected_below(info.selected_fields, ("edges", "node"))
    async with db.read_session() as session:  # the page and its counts: one session
        rows = await list_customers(
            session, principal, root.organization_id, search=search, page=page
        )
        facts = await customer_facts(
            session, ctx.settings, [row.organization.id for row in rows.items], wanted
        )

    async def count() -> int:
        async with db.read_session() as session:
            return await count_customers(session, root.organization_id, search=search)

    return make_connection(
        CustomerConnection,
        rows,
        lambda row: Customer.from_mapped(row, facts.get(row.organization.id)),
        count,
    )


async def _customer(
    root: PartnerLanding,
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The customer organization.")],
) -> Customer | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        row = await get_customer(session, principal, root.organization_id, str(id))
        if row is None:
            return None
        facts = await customer_facts(
            session, ctx.settings, [row.organization.id], selected_below(info.selected_fields, ())
        )
    return Customer.from_mapped(row, facts.get(row.organization.id))


async def _pending_partner_requests(
    info: strawberry.Info,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> PartnerRequestConnection:
    # The accounts area's request list, narrowed to the queue (and its internal-admin check).
    return await partner_request_connection(
        info, status=PartnerRequestStatus.PENDING, first=first, after=after
    )


@strawberry.type(description="A customer organization's landing: its apps and the portal menu.")
class CustomerLanding:
    organization: Organization = strawberry.field(
        description="The customer organization the viewer works in."
    )
    organization_id: strawberry.Private[uuid.UUID]
    app_tiles: list[AppTile] = strawberry.field(
        resolver=_app_tiles, description="The vendor's apps, each unlocked by a license or not."
    )
    menu: list[MenuItem] = strawberry.field(
        resolver=_menu, description="In display order: Locations, Devices, Users, Licenses."
    )


@strawberry.type(description="A partner organization's landing: the customers it supports.")
class PartnerLanding:
    organization: Organization = strawberry.field(
        description="The partner organization the viewer works in."
    )
    organization_id: strawberry.Private[uuid.UUID]
    customers: CustomerConnection = strawberry.field(
        resolver=_customers,
        description=(
            "The customer organizations mapped to the partner, oldest mapping first; `search` "
            "matches their names."
        ),
    )
    customer: Customer | None = strawberry.field(
        resolver=_customer,
        description="One of the partner's customers by its organization id, or null.",
    )


@strawberry.type(description="An internal admin's landing: the partner requests to review.")
class AdminLanding:
    pending_partner_requests: PartnerRequestConnection = strawberry.field(
        resolver=_pending_partner_requests,
        description="Partner requests waiting for review, oldest first.",
    )
    notification_settings: AdminNotificationSettings = strawberry.field(
        # Query.adminNotificationSettings again, where asking costs others nothing: the console's
        # Account page reads it in its one query (the root field would refuse that whole query
        # to anyone but an internal admin).
        resolver=admin_notification_settings,
        description="Which optional emails you get (your own settings), as "
        "`adminNotificationSettings` answers them.",
    )


Landing = Annotated[
    CustomerLanding | PartnerLanding | AdminLanding,
    strawberry.union("Landing", description="Where the viewer lands after signing in."),
]
