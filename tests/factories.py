"""Test data, written straight to the database (for tests whose subject is something else).

Journeys themselves (sign-up, activation, login) are tested through HTTP, never through these.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, Organization, User
from domain.enums import OrganizationStatus, OrganizationType, Role, UserStatus
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
