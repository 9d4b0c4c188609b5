"""Licenses, the app catalog and the Licenses page summary."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Protocol

import strawberry

from db.models import Product as ProductRow
from domain.licenses.queries import status_clock
from domain.licenses.repository import CatalogEntry, LicenseRow, SummaryCounts
from domain.licenses.status import StatusClock, license_status
from kit.pagination import make_page
from schema.arguments import AFTER, FIRST
from schema.context import Context
from schema.enums import LicenseStatus
from schema.errors import UserError
from schema.paging import page_args
from schema.payloads import Payload
from schema.relay import Connection, make_connection
from schema.types.node import Node
from schema.types.organizations import Organization

if TYPE_CHECKING:
    from schema.types.devices import DeviceConnection


from domain.authz.policy import Action
from domain.authz.scope import organization_access
from domain.licenses import catalog, queries
from schema.arguments import ORGANIZATION
from schema.context import context_of

# schema.types.devices imports this module (Device.licenses): the edge back is resolved lazily.
DeviceConnectionRef = Annotated["DeviceConnection", strawberry.lazy("schema.types.devices")]


@strawberry.type(description="One of the vendor's apps, unlocked by a license for it.")
class Product:
    id: strawberry.ID = strawberry.field(description="The product's id.")
    key: str = strawberry.field(description="Stable identifier, e.g. HEALTHPRO.")
    name: str = strawberry.field(description="The product's display name, e.g. HealthPro.")
    description: str = strawberry.field(
        description="One line about what the app does, for its tile."
    )
    link: str = strawberry.field(description="The URL that opens the app.")
    icon: str = strawberry.field(description="Icon identifier (e.g. `healthpro`).")

    @classmethod
    def from_row(cls, row: ProductRow) -> Product:
        return cls(
            id=strawberry.ID(str(row.id)),
            key=row.key,
            name=row.name,
            description=row.description,
            link=row.link,
            icon=row.icon,
        )


@strawberry.type(
    description=(
        "An app tile of the landing page. `unlocked` when the organization holds a license for "
        "the app's product that has not expired."
    )
)
class AppTile:
    key: str = strawberry.field(description="The product key whose license unlocks this app.")
    name: str = strawberry.field(description="The app's display name.")
    description: str = strawberry.field(description="One line about what the app does.")
    link: str = strawberry.field(description="The URL that opens the app.")
    icon: str = strawberry.field(description="Icon identifier (e.g. `healthpro`).")
    unlocked: bool = strawberry.field(
        description="True when the organization holds an unexpired license for the app's product."
    )

    @classmethod
    def from_entry(cls, entry: CatalogEntry) -> AppTile:
        p = entry.product
        return cls(
            key=p.key,
            name=p.name,
            description=p.description,
            link=p.link,
            icon=p.icon,
            unlocked=entry.unlocked,
        )


async def _license_organization(
    root: License, info: strawberry.Info[Context, None]
) -> Organization | None:
    if root.organization_id is None:
        return None
    row = await info.context.loaders.organization_by_id.load(root.organization_id)
    return Organization.from_row(row) if row is not None else None


async def _license_devices(
    root: License,
    info: strawberry.Info[Context, None],
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> DeviceConnectionRef:
    from schema.types.devices import Device, DeviceConnection

    ctx = info.context
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    rows = await ctx.loaders.devices_by_license_id.load((root.pk, page))
    seats_used = root.seats_used

    async def total() -> int:
        # The devices holding the license now: counted with the license already.
        return seats_used

    return make_connection(DeviceConnection, make_page(rows, page), Device.from_row, total)


@strawberry.type(
    description=(
        "A license for a product: a term in days and a number of device seats. The term starts "
        "when it is first attached to a device (`activatedAt`) and never restarts."
    )
)
class License(Node):
    id: strawberry.ID = strawberry.field(description="The license's id.")
    product: Product = strawberry.field(description="The product this license unlocks.")
    key_hint: str = strawberry.field(description="The last characters of the key.")
    term_days: int = strawberry.field(
        description="The term's length in days, counted from the first attachment to a device."
    )
    seats: int = strawberry.field(description="How many devices may hold it at once.")
    seats_used: int = strawberry.field(description="How many devices hold it now.")
    seats_available: int = strawberry.field(
        description="How many more devices may hold it now (`seats` minus `seatsUsed`)."
    )
    status: LicenseStatus = strawberry.field(
        description=(
            "EXPIRED > EXPIRING_SOON (the term ends within 30 days) > IN_USE (attached to a "
            "device) > AVAILABLE, computed when read."
        )
    )
    issued_at: datetime = strawberry.field(description="When an internal admin issued the key.")
    redeemed_at: datetime | None = strawberry.field(
        description="When an organization redeemed the key (null while unredeemed)."
    )
    activated_at: datetime | None = strawberry.field(
        description="When the term started: the first attachment to a device."
    )
    expires_at: datetime | None = strawberry.field(
        description="When the term ends: `activatedAt` plus `termDays` (null until activated)."
    )
    organization: Organization | None = strawberry.field(
        resolver=_license_organization, description="The organization that redeemed it."
    )
    devices: DeviceConnectionRef = strawberry.field(
        resolver=_license_devices, description="The devices holding a seat of it now."
    )
    pk: strawberry.Private[uuid.UUID]
    organization_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: LicenseRow, clock: StatusClock) -> License:
        lic = row.license
        return cls(
            id=strawberry.ID(str(lic.id)),
            product=Product.from_row(row.product),
            key_hint=lic.key_hint,
            term_days=lic.term_days,
            seats=lic.seats,
            seats_used=row.seats_used,
            seats_available=max(0, lic.seats - row.seats_used),
            status=license_status(lic.expires_at, row.seats_used, clock),
            issued_at=lic.created_at,
            redeemed_at=lic.redeemed_at,
            activated_at=lic.activated_at,
            expires_at=lic.expires_at,
            pk=lic.id,
            organization_id=lic.organization_id,
        )


class _HasPk(Protocol):
    pk: uuid.UUID


async def device_licenses(root: _HasPk, info: strawberry.Info[Context, None]) -> list[License]:
    """``Device.licenses``: through a DataLoader; the device was authorized by whoever produced it,
    and the query keeps to the device's own organization."""
    ctx = info.context
    rows = await ctx.loaders.licenses_by_device_id.load(root.pk)
    clock = status_clock(ctx.settings.license_expiring_soon_days)
    return [License.from_row(row, clock) for row in rows]


def to_license(clock: StatusClock) -> Callable[[LicenseRow], License]:
    return lambda row: License.from_row(row, clock)


@strawberry.type(description="A page of licenses.")
class LicenseConnection(Connection[License]):
    pass


@strawberry.type(description="The counts the Licenses page shows.")
class LicenseSummary:
    total: int = strawberry.field(description="All licenses of the organization.")
    available: int = strawberry.field(
        description="Licenses attached to no device and not expiring or expired."
    )
    in_use: int = strawberry.field(
        description="Licenses attached to at least one device, not expiring soon."
    )
    expiring_soon: int = strawberry.field(description="Licenses whose term ends within 30 days.")
    expired: int = strawberry.field(description="Licenses whose term has ended.")

    @classmethod
    def from_counts(cls, counts: SummaryCounts) -> LicenseSummary:
        return cls(
            total=counts.total,
            available=counts.available,
            in_use=counts.in_use,
            expiring_soon=counts.expiring_soon,
            expired=counts.expired,
        )


@strawberry.type(description="A new license key. The key is shown this once and never again.")
class IssuedLicenseKey:
    key: str = strawberry.field(
        description="The full license key: give it to the customer; it is never shown again."
    )
    license: License = strawberry.field(description="The license the key redeems.")


# --- inputs and payloads -------------------------------------------------------------------------


@strawberry.input(description="What licenses to issue: one key per license.")
class IssueLicenseKeysInput:
    product_key: str = strawberry.field(description="The product's key, e.g. HEALTHPRO.")
    term_days: int = strawberry.field(
        description="The term in days, 1 to 3660, counted from the first attachment."
    )
    seats: int = strawberry.field(
        default=1, description="How many devices may hold each license at once (1 to 10000)."
    )
    count: int = strawberry.field(default=1, description="How many keys to issue (1 to 500).")


@strawberry.input(description="A license key to add to an organization.")
class RedeemLicenseKeyInput:
    key: str = strawberry.field(
        description="The license key as issued (case and separators are ignored)."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the working organization."
    )


@strawberry.input(description="A license and a device of the same organization.")
class AttachLicenseInput:
    license_id: strawberry.ID = strawberry.field(description="The license's id.")
    device_id: strawberry.ID = strawberry.field(description="The device's id.")


@strawberry.input(description="A license and a device that holds it.")
class DetachLicenseInput:
    license_id: strawberry.ID = strawberry.field(description="The license's id.")
    device_id: strawberry.ID = strawberry.field(description="The device's id.")


@strawberry.type(description="The keys issued, each shown this once, or why none were.")
class IssueLicenseKeysPayload(Payload):
    license_keys: list[IssuedLicenseKey] | None = strawberry.field(
        default=None, description="The new keys with their licenses (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The redeemed license, or why it could not be.")
class RedeemLicenseKeyPayload(Payload):
    license: License | None = strawberry.field(
        default=None, description="The license now held by the organization (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The license after the attachment, or why it failed.")
class AttachLicensePayload(Payload):
    license: License | None = strawberry.field(
        default=None, description="The license with its new seat taken (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The license after the detachment, or why it failed.")
class DetachLicensePayload(Payload):
    license: License | None = strawberry.field(
        default=None, description="The license with the seat freed (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


# --- list resolvers shared by Query (resolvers/licenses.py) and other types' edges


def license_clock(ctx: Context) -> StatusClock:
    """The instant this request judges license statuses at."""
    return queries.status_clock(ctx.settings.license_expiring_soon_days)


async def app_tiles_for(ctx: Context, organization_id: strawberry.ID | str | None) -> list[AppTile]:
    """The app tiles of an organization the viewer may read (the customer landing calls this)."""
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        access = await organization_access(
            session, principal, organization_id, Action.ORGANIZATION_READ, field=("organizationId",)
        )
        entries = await catalog.app_tiles(session, access.organization_id)
    return [AppTile.from_entry(entry) for entry in entries]


async def licenses(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
    status: Annotated[
        LicenseStatus | None,
        strawberry.argument(description="Only licenses in this status (computed when read)."),
    ] = None,
    product_key: Annotated[
        str | None,
        strawberry.argument(description="Only licenses for this product key, e.g. HEALTHPRO."),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> LicenseConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    clock = license_clock(ctx)
    db = ctx.services.db
    async with db.read_session() as session:
        where = await queries.license_filter(
            session,
            principal,
            organization_id=organization_id,
            status=status,
            product_key=product_key,
        )
        rows = await queries.list_licenses(session, where, page, clock)

    async def count() -> int:
        # Only when the client asks for totalCount, in its own session (siblings run concurrently).
        async with db.read_session() as session:
            return await queries.count_licenses(session, where, clock)

    return make_connection(LicenseConnection, rows, to_license(clock), count)
