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
from resolvers._paging import page_args
from schema.context import Context
from schema.enums import LicenseStatus
from schema.errors import UserError
from schema.relay import Connection, make_connection
from schema.types.organization import Organization

if TYPE_CHECKING:
    from schema.types.device import DeviceConnection

# schema.types.device imports this module (Device.licenses): the edge back is resolved lazily.
DeviceConnectionRef = Annotated["DeviceConnection", strawberry.lazy("schema.types.device")]


@strawberry.type(description="One of the vendor's apps, unlocked by a license for it.")
class Product:
    id: strawberry.ID
    key: str = strawberry.field(description="Stable identifier, e.g. HEALTHPRO.")
    name: str
    description: str
    link: str
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
    name: str
    description: str
    link: str
    icon: str
    unlocked: bool

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
    first: int | None = None,
    after: str | None = None,
) -> DeviceConnectionRef:
    from schema.types.device import Device, DeviceConnection

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
class License:
    id: strawberry.ID
    product: Product
    key_hint: str = strawberry.field(description="The last characters of the key.")
    term_days: int
    seats: int = strawberry.field(description="How many devices may hold it at once.")
    seats_used: int = strawberry.field(description="How many devices hold it now.")
    seats_available: int
    status: LicenseStatus = strawberry.field(
        description=(
            "EXPIRED > EXPIRING_SOON (the term ends within 30 days) > IN_USE (attached to a "
            "device) > AVAILABLE, computed when read."
        )
    )
    issued_at: datetime
    redeemed_at: datetime | None
    activated_at: datetime | None = strawberry.field(
        description="When the term started: the first attachment to a device."
    )
    expires_at: datetime | None
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


@strawberry.type
class LicenseConnection(Connection[License]):
    pass


@strawberry.type(description="The counts the Licenses page shows.")
class LicenseSummary:
    total: int
    available: int
    in_use: int
    expiring_soon: int
    expired: int

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
    key: str
    license: License


# --- inputs and payloads -------------------------------------------------------------------------


@strawberry.input
class IssueLicenseKeysInput:
    product_key: str
    term_days: int
    seats: int = 1
    count: int = 1


@strawberry.input
class RedeemLicenseKeyInput:
    key: str
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the working organization."
    )


@strawberry.input
class AttachLicenseInput:
    license_id: strawberry.ID
    device_id: strawberry.ID


@strawberry.input
class DetachLicenseInput:
    license_id: strawberry.ID
    device_id: strawberry.ID


@strawberry.type
class IssueLicenseKeysPayload:
    license_keys: list[IssuedLicenseKey] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RedeemLicenseKeyPayload:
    license: License | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AttachLicensePayload:
    license: License | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DetachLicensePayload:
    license: License | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
