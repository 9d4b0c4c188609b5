from __future__ import annotations

import pytest

from runtime import Services
from tests.identity.oidc import RegisteredClient, register_client


@pytest.fixture
async def rp(services: Services) -> RegisteredClient:
    """A confidential first-party relying party, for journeys that end in a real login."""
    return await register_client(services)
