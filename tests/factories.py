"""Test data, written straight to the database (for tests whose subject is something else).

Journeys themselves (sign-up, activation, login) are tested through HTTP, never through these.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Area,
    Device,
    License,
    LicenseAttachment,
    Membership,
    Organization,
    Product,
    User,
)
from domain.enums import (
    DeviceKind,
    DeviceStatus,
    OrganizationStatus,
    OrganizationType,
    Role,
    UserStatus,
)
from domain.licenses import keys
from domain.locations.defaults import create_default_location
from kit.clock import utcnow
from runtime import Services
from tests.support.tokens import mint_access_token

_counter = itertools.count(1)

# A password that passes the policy, and its hash computed once per process.
DEFAULT_PASSWORD = "correct horse battery staple 42"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.test"


async def create_organization(
    session: AsyncSession,
    *,
    type: OrganizationType = OrganizationType.CUSTOMER,
    status: OrganizationStatus = OrganizationStatus.ACTIVE,
    name: str | None = None,
    country: str = "DE",
    with_default_location: bool = True,
) -> Organization:
    org = Organization(
        type=type,
        status=status,
        name=name or f"Org {next(_counter)}",
        country=country,
        activated_at=utcnow() if status is OrganizationStatus.ACTIVE else None,
    )
    session.add(org)
    await session.flush()
    if with_default_location:
        await create_default_location(session, org.id, country=country)
    return org


async def create_user(
    session: AsyncSession,
    services: Services | None = None,
    *,
    email: str | None = None,
    first_name: str = "Test",
    last_name: str = "User",
    status: UserStatus = UserStatus.ACTIVE,
    password: str | None = DEFAULT_PASSWORD,
) -> User:
    password_hash = None
    if status is UserStatus.ACTIVE and password is not None and services is not None:
        password_hash = await services.hasher.hash(password)
    user = User(
        email=email or unique_email(),
        first_name=first_name,
        last_name=last_name,
        status=status,
        password_hash=password_hash,
        activated_at=utcnow() if status is UserStatus.ACTIVE else None,
    )
    session.add(user)
    await session.flush()
    return user


async def add_member(
    session: AsyncSession, user: User, organization: Organization, role: Role
) -> Membership:
    membership = Membership(user_id=user.id, organization_id=organization.id, role=role)
    session.add(membership)
    await session.flush()
    return membership


@dataclass
class Actor:
    """A user with a role in an organization, and an access token to act with."""

    user: User
    organization: Organization
    role: Role
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "X-Organization-Id": str(self.organization.id),
        }


async def create_actor(
    services: Services,
    *,
    role: Role = Role.SUPER_ADMIN,
    organization: Organization | None = None,
    organization_type: OrganizationType = OrganizationType.CUSTOMER,
    email: str | None = None,
    with_password: bool = False,
) -> Actor:
    """An active user who is ``role`` of an (new or given) organization, with a token."""
    async with services.db.unit_of_work() as session:
        if organization is None:
            kind = OrganizationType.INTERNAL if role is Role.INTERNAL_ADMIN else organization_type
            organization = await create_organization(
                session, type=kind, with_default_location=kind is not OrganizationType.INTERNAL
            )
        user = await create_user(
            session, services if with_password else None, email=email, status=UserStatus.ACTIVE
        )
        await add_member(session, user, organization, role)
    token = await mint_access_token(services, user.id)
    return Actor(user=user, organization=organization, role=role, token=token)


async def rename_organization(services: Services, organization_id: uuid.UUID, name: str) -> None:
    """Give an organization a name a test searches or sorts by."""
    async with services.db.unit_of_work() as session:
        row = await session.get(Organization, organization_id)
        assert row is not None
        row.name = name


async def create_device(
    session: AsyncSession,
    organization: Organization,
    *,
    name: str | None = None,
    kind: DeviceKind = DeviceKind.CAMERA,
) -> Device:
    """A device in the organization's default area."""
    area = await session.scalar(
        select(Area).where(Area.organization_id == organization.id, Area.is_default.is_(True))
    )
    assert area is not None, "the organization has no default area (with_default_location)"
    number = next(_counter)
    raw_mac = uuid.uuid4().bytes[:6]
    device = Device(
        organization_id=organization.id,
        location_id=area.location_id,
        area_id=area.id,
        kind=kind,
        serial_number=f"SN{uuid.uuid4().hex[:12].upper()}",
        mac_address=":".join(f"{b:02x}" for b in raw_mac),
        model="TC-200",
        name=name or f"Camera {number}",
        status=DeviceStatus.ONLINE,
    )
    session.add(device)
    await session.flush()
    return device


async def create_license(
    session: AsyncSession,
    *,
    product_key: str = "HEALTHPRO",
    organization: Organization | None = None,
    term_days: int = 365,
    seats: int = 1,
    activated_at: datetime | None = None,
) -> tuple[License, str]:
    """A license (redeemed by ``organization`` when given) and its plain key.

    ``activated_at`` starts the term as a first attachment would (``expires_at`` follows).
    """
    product = await session.scalar(select(Product).where(Product.key == product_key))
    assert product is not None, f"no product {product_key} (is the catalog migration applied?)"
    key = keys.new_key()
    compact = keys.normalize_key(key)
    assert compact is not None
    now = utcnow()
    license = License(
        key_hash=keys.key_hash(compact),
        key_hint=keys.key_hint(compact),
        product_id=product.id,
        term_days=term_days,
        seats=seats,
        organization_id=organization.id if organization else None,
        redeemed_at=now if organization else None,
        activated_at=activated_at,
        expires_at=activated_at + timedelta(days=term_days) if activated_at else None,
    )
    session.add(license)
    await session.flush()
    return license, key


async def attach_device(session: AsyncSession, license: License, device: Device) -> None:
    """A current attachment, written directly (the term is the caller's business)."""
    session.add(
        LicenseAttachment(license_id=license.id, device_id=device.id, product_id=license.product_id)
    )
    await session.flush()


# --- STEP partner codes -------------------------------------------------------------------------


def unique_step_code(prefix: str = "STEP") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


async def create_step_code(
    services: Services,
    code: str | None = None,
    *,
    revoked: bool = False,
    company: str | None = None,
) -> str:
    """A STEP partner code in the registry (as ``import-step-codes`` would add it)."""
    from db.models import StepPartnerCode
    from domain.enums import StepCodeStatus

    value = code or unique_step_code()
    async with services.db.unit_of_work() as session:
        session.add(
            StepPartnerCode(
                code=value,
                company=company,
                status=StepCodeStatus.REVOKED if revoked else StepCodeStatus.ACTIVE,
            )
        )
    return value
