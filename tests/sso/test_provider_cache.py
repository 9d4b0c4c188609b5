"""The upstream provider's discovery document and JWKS are fetched once per issuer for a while,
not on every sign-in (domain/sso/discovery.py ``ProviderCache``), counted from what node's
oidc-provider logs of the requests it served."""

from __future__ import annotations

import pytest

from domain.sso.discovery import WELL_KNOWN, DiscoveryFailed, KeysFailed, ProviderCache, discover
from runtime import Services
from tests.identity.oidc import AuthRequest, Browser, RegisteredClient
from tests.sso.dns_server import DnsServer
from tests.sso.node_op import NodeProvider, connect, id_token_claims, through_provider
from tests.support.server import LiveServer

pytestmark = pytest.mark.node

JWKS = "/jwks"


def fetched(op: NodeProvider) -> tuple[int, int]:
    """(discovery documents, JWKS) the provider has served."""
    return op.requests("GET", WELL_KNOWN), op.requests("GET", JWKS)


async def sign_in(live: LiveServer, op: NodeProvider, rp: RegisteredClient, email: str) -> None:
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        answer = await through_provider(live, ours, op, request, email)
        _, claims = await id_token_claims(live, request, answer)
    assert claims["email"] == email and claims["amr"] == ["fed", "pwd"]


async def test_sign_ins_fetch_the_documents_once_and_the_keys_again_after_a_rotation(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    _, domain = await connect(live, services, op, dns_server)
    # Configuring the connection discovered the provider (uncached: the console wants its
    # answer now).
    assert fetched(op) == (1, 0)
    for name in ("ann", "ben"):
        op.set_account(f"{name}@{domain}", name=name.title(), amr=["pwd"])
    await sign_in(live, op, rp, f"ann@{domain}")
    await sign_in(live, op, rp, f"ben@{domain}")
    # Two sign-ins: one discovery (not two per sign-in), one JWKS.
    assert fetched(op) == (2, 1)

    # The provider rotates its signing key: the next ID token names a key the cached set lacks,
    # so the set is fetched once more (and the discovery document is not).
    op.rotate_keys()
    await sign_in(live, op, rp, f"ann@{domain}")
    assert fetched(op) == (2, 2)
    await sign_in(live, op, rp, f"ben@{domain}")
    assert fetched(op) == (2, 2)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_documents_expire_and_failures_are_kept_only_briefly(op: NodeProvider) -> None:
    clock = Clock()
    cache = ProviderCache(ttl_seconds=300, failure_seconds=5, clock=clock)
    options = {"http_timeout": 5.0, "allow_http_loopback": True}

    metadata = await cache.metadata(op.issuer, **options)
    assert await cache.metadata(op.issuer + "/", **options) is metadata
    await cache.keys(metadata, http_timeout=5.0)
    await cache.keys(metadata, http_timeout=5.0)
    assert fetched(op) == (1, 1)
    # An explicit refresh (an unknown kid) fetches the keys even while they are fresh.
    await cache.keys(metadata, http_timeout=5.0, refresh=True)
    assert fetched(op) == (1, 2)
    clock.now += 301
    assert (await cache.metadata(op.issuer, **options)).issuer == op.issuer
    await cache.keys(metadata, http_timeout=5.0)
    assert fetched(op) == (2, 3)

    # `discover` itself never caches.
    await discover(op.issuer, **options)
    assert fetched(op) == (3, 3)

    # A provider that answers no document: the failure is remembered for seconds, not minutes.
    missing = op.issuer + "/tenant-x"
    for _ in range(3):
        with pytest.raises(DiscoveryFailed, match="HTTP 404"):
            await cache.metadata(missing, **options)
    assert op.requests("GET", "/tenant-x" + WELL_KNOWN) == 1
    clock.now += 6
    with pytest.raises(DiscoveryFailed):
        await cache.metadata(missing, **options)
    assert op.requests("GET", "/tenant-x" + WELL_KNOWN) == 2

    # The same for keys that cannot be fetched.
    broken = type(metadata)(
        issuer=op.issuer + "/broken",
        authorization_endpoint=metadata.authorization_endpoint,
        token_endpoint=metadata.token_endpoint,
        jwks_uri=op.issuer + "/no-keys-here",
        raw=metadata.raw,
    )
    for _ in range(2):
        with pytest.raises(KeysFailed):
            await cache.keys(broken, http_timeout=5.0)
    assert op.requests("GET", "/no-keys-here") == 1
    clock.now += 6
    with pytest.raises(KeysFailed):
        await cache.keys(broken, http_timeout=5.0)
    assert op.requests("GET", "/no-keys-here") == 2
