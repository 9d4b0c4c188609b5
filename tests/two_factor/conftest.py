from __future__ import annotations

import pytest

from domain.enums import Role
from runtime import Services
from tests.factories import Actor, create_actor
from tests.identity.oidc import RegisteredClient, register_client


@pytest.fixture
async def member(services: Services) -> Actor:
    """An active customer admin with the default password."""
    return await create_actor(services, role=Role.ADMIN, with_password=True)


@pytest.fixture
async def rp(services: Services) -> RegisteredClient:
    """A confidential first-party relying party."""
    return await register_client(services)
