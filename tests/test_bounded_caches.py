"""Every per-process cache is bounded by count, whatever a client sends (docs/PRODUCTION.md,
memory): distinct documents, tokens, client ids and rate-limit keys do not grow a process."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from joserfc import jwt

from api.root import build_guard
from identity.keys import VERIFIED_TOKENS, KeyService
from identity.oauth.clients import ClientRegistry
from kit.ratelimit import RateLimiter
from runtime import Services
from settings import Settings


def test_parsed_documents_are_bounded() -> None:
    guard = build_guard(Settings())
    size = guard.policy.cache_size
    for n in range(size * 4):
        guard.parse(f"{{ viewer {{ user {{ a{n}: email }} }} }}")
    assert len(guard._documents) == size
    # A large one-off document is not kept at all.
    guard.parse("{ viewer { user { b" + "x" * 20_000 + ": email } } }")
    assert len(guard._documents) == size


def test_verified_tokens_are_bounded() -> None:
    keys = KeyService(cast(Any, None))
    decoded = jwt.Token({"alg": "RS256", "kid": "k"}, {"sub": "x"})
    for n in range(VERIFIED_TOKENS + 500):
        keys._remember(f"token-{n}", decoded)
    assert len(keys._verified) == VERIFIED_TOKENS


async def test_unknown_client_ids_are_not_cached(services: Services) -> None:
    clients = ClientRegistry(services.db, 60)
    for n in range(200):
        assert await clients.get(f"unknown-{n}") is None
    assert len(clients._cache) == 0


async def test_rate_limit_keys_expire_in_memory() -> None:
    limiter = RateLimiter()
    for n in range(300):
        assert await limiter.hit("5/1 second", "test", f"key-{n}")
    await asyncio.sleep(1.2)
    await limiter.hit("5/1 second", "test", "one more")  # the storage's expiry pass runs
    for _ in range(50):
        await asyncio.sleep(0.05)
        events = limiter._storage.events  # type: ignore[attr-defined]
        if len(events) <= 1:
            break
    assert len(events) <= 1


async def test_sso_provider_documents_are_bounded() -> None:
    """domain/sso/discovery.py: one entry per issuer, least recently used dropped; failures (no
    provider listens here) take an entry too, and are bounded the same way."""
    import pytest

    from domain.sso.discovery import MAX_ISSUERS, DiscoveryFailed, ProviderCache
    from tests.support.smtp import free_port

    cache = ProviderCache()
    closed = f"http://127.0.0.1:{free_port()}"
    for n in range(MAX_ISSUERS + 50):
        with pytest.raises(DiscoveryFailed):
            await cache.metadata(f"{closed}/tenant-{n}", http_timeout=1.0, allow_http_loopback=True)
    assert len(cache) == MAX_ISSUERS


def test_parsed_signing_keys_are_bounded() -> None:
    """identity/keys.py keeps parsed private keys by (kid, PEM) across reloads: a rotation adds
    one, the oldest fall out."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from identity import keys

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    first = keys._imported("kid-0", pem)
    assert keys._imported("kid-0", pem) is first  # parsed once
    for n in range(keys._IMPORTED.size * 2):
        keys._imported(f"kid-{n}", pem)
    assert len(keys._IMPORTED) == keys._IMPORTED.size
    assert keys._imported("kid-0", pem) is not first  # fell out, parsed again
