"""Signing keys: RS256 key pairs kept in the database with a ``kid``, shared by every process.

Rotation adds a key and retires the previous one, which stays in the JWKS until every token it
signed has expired, so live tokens keep verifying. Each process caches the keys and reloads them
every ``reload_seconds`` (60) and whenever it meets an unknown ``kid``, at most once per
``MIN_RELOAD_SECONDS``; the JWKS endpoint reads them afresh (``JWKS_FRESH_SECONDS``), so a new
key is published by every process as soon as ``rotate-keys`` has committed it.

Which key signs: the newest one that has been in the database for ``publish_seconds`` (65; the
oldest when none has, as right after the first key was made). Relying parties cache the JWKS,
and refetch it on an unknown ``kid`` only after a cooldown (30 s in `jose`, which openid-client
uses): a key signing at once would carry a kid that a relying party cannot see yet. Waiting one
reload interval plus slack means every process has loaded the key, and every relying party can
refetch the JWKS, before any token names it; the previous key signs meanwhile, and its tokens
expire long before it leaves the JWKS.

Verified tokens are remembered (``decode``): every authenticated GraphQL request presents the same
access token until it expires, and parsing the JWS and checking its RS256 signature again each
time is CPU spent on an answer that cannot change. Only the signature check is remembered, and only
while the key that made it is still loaded (a key deleted from the database stops verifying its
tokens at the next reload, as before); the caller checks the claims, ``exp`` first, every time.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database
from db.models import SigningKey
from kit.clock import utcnow
from kit.crypto import new_token
from kit.lru import LRU

ALGORITHM = "RS256"
MIN_RELOAD_SECONDS = 5.0
RELOAD_EVERY_SECONDS = 60.0
PUBLISH_SECONDS = 65.0
# The JWKS endpoint answers from a copy at most this old: a key added by `rotate-keys` (another
# process) is published at once, by every process, while it still waits to sign.
JWKS_FRESH_SECONDS = 1.0
# Verified tokens remembered per process (a few KiB each): enough for the access tokens in use.
VERIFIED_TOKENS = 4096


class UnknownKey(Exception):
    pass


@dataclass(frozen=True)
class _Loaded:
    # (created_at, key), newest first: ``signing`` picks by age at signing time.
    candidates: tuple[tuple[datetime, RSAKey], ...]
    keyset: KeySet
    kids: frozenset[str]
    jwks: dict[str, Any]
    loaded_at: float


def _new_key_row(bits: int) -> SigningKey:
    kid = new_token(12)
    key = RSAKey.generate_key(bits, parameters={"kid": kid, "use": "sig", "alg": ALGORITHM})
    return SigningKey(
        kid=kid,
        algorithm=ALGORITHM,
        private_pem=key.as_pem(private=True).decode("ascii"),
        public_jwk=key.as_dict(private=False),
    )


# Parsed keys by (kid, PEM): loading a private key checks its RSA parameters (~40 ms of CPU),
# and a process reloads the same few keys every RELOAD_EVERY_SECONDS (tests: for every test's
# services). Bounded: a rotation adds one key, old ones fall out.
_IMPORTED: LRU[tuple[str, str], RSAKey] = LRU(16)


def _imported(kid: str, pem: str) -> RSAKey:
    key = _IMPORTED.get((kid, pem))
    if key is None:
        key = RSAKey.import_key(pem, {"kid": kid, "use": "sig", "alg": ALGORITHM})
        _IMPORTED.put((kid, pem), key)
    return key


async def ensure_signing_key(session: AsyncSession, *, bits: int = 2048) -> None:
    """Create the first key if there is none (run once at start, under the migration lock)."""
    existing = await session.scalar(select(SigningKey.id).where(SigningKey.retired_at.is_(None)))
    if existing is None:
        session.add(_new_key_row(bits))
        await session.flush()


async def rotate(session: AsyncSession, *, bits: int, keep_published: timedelta) -> str:
    """Add a new signing key; retire the others, published for ``keep_published`` longer."""
    now = utcnow()
    await session.execute(
        update(SigningKey)
        .where(SigningKey.retired_at.is_(None))
        .values(retired_at=now, expires_at=now + keep_published)
    )
    row = _new_key_row(bits)
    session.add(row)
    await session.flush()
    return row.kid


class KeyService:
    def __init__(
        self,
        db: Database,
        *,
        reload_seconds: float = RELOAD_EVERY_SECONDS,
        publish_seconds: float = PUBLISH_SECONDS,
    ) -> None:
        self._db = db
        self._reload_seconds = reload_seconds
        self._publish = timedelta(seconds=publish_seconds)
        self._loaded: _Loaded | None = None
        self._lock = asyncio.Lock()
        # token -> (kid, the verified token), least recently used first.
        self._verified: LRU[str, tuple[str, jwt.Token]] = LRU(VERIFIED_TOKENS)

    async def load(self) -> None:
        now = utcnow()
        async with self._db.read_session() as session:
            rows = (
                await session.scalars(
                    select(SigningKey)
                    .where(or_(SigningKey.expires_at.is_(None), SigningKey.expires_at > now))
                    .order_by(SigningKey.created_at.desc(), SigningKey.id.desc())
                )
            ).all()
        keys: list[Any] = [_imported(row.kid, row.private_pem) for row in rows]
        if not any(row.retired_at is None for row in rows):
            raise RuntimeError("no signing key: run `server.py serve` (it creates one) first")
        self._loaded = _Loaded(
            candidates=tuple((row.created_at, key) for row, key in zip(rows, keys, strict=True)),
            keyset=KeySet(keys),
            kids=frozenset(row.kid for row in rows),
            jwks={"keys": [dict(row.public_jwk) for row in rows]},
            loaded_at=time.monotonic(),
        )

    async def _current(self, max_age: float | None = None) -> _Loaded:
        loaded = self._loaded
        limit = self._reload_seconds if max_age is None else max_age
        if loaded is None or time.monotonic() - loaded.loaded_at > limit:
            async with self._lock:
                if self._loaded is loaded:
                    await self.load()
            loaded = self._loaded
        assert loaded is not None
        return loaded

    async def _reload_for_unknown_kid(self, kid: str) -> _Loaded:
        async with self._lock:
            loaded = self._loaded
            assert loaded is not None
            if kid not in loaded.kids and time.monotonic() - loaded.loaded_at >= MIN_RELOAD_SECONDS:
                await self.load()
        assert self._loaded is not None
        return self._loaded

    async def jwks(self) -> dict[str, Any]:
        # Relying parties fetch the JWKS rarely (and cache it), so a fresh read costs nothing.
        return (await self._current(JWKS_FRESH_SECONDS)).jwks

    async def signing_key(self) -> RSAKey:
        return self._signer(await self._current())

    def _signer(self, loaded: _Loaded) -> RSAKey:
        published_before = utcnow() - self._publish
        for created_at, key in loaded.candidates:
            if created_at <= published_before:
                return key
        # All too new (a first key, or a rotation right after it): the one published longest.
        return loaded.candidates[-1][1]

    async def sign(self, claims: dict[str, Any], *, typ: str = "JWT") -> str:
        key = await self.signing_key()
        return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": typ}, claims, key)

    async def decode(self, token: str) -> jwt.Token:
        """Verify the signature (by ``kid``) and return the token; claims are NOT validated here.

        A token verified before is answered from memory while its key is loaded; the same
        ``Token`` object is returned each time, so callers must not change it."""
        loaded = await self._current()
        known = self._verified.get(token)
        if known is not None and known[0] in loaded.kids:
            return known[1]
        try:
            decoded = jwt.decode(token, loaded.keyset, algorithms=[ALGORITHM])
        except JoseError as first_error:
            kid = _unverified_kid(token)
            if kid is None or kid in loaded.kids:
                raise
            loaded = await self._reload_for_unknown_kid(kid)
            if kid not in loaded.kids:
                raise UnknownKey(kid) from first_error
            decoded = jwt.decode(token, loaded.keyset, algorithms=[ALGORITHM])
        self._remember(token, decoded)
        return decoded

    def _remember(self, token: str, decoded: jwt.Token) -> None:
        kid = decoded.header.get("kid")
        if isinstance(kid, str):
            self._verified.put(token, (kid, decoded))

    def sign_sync(self, claims: dict[str, Any], *, typ: str = "JWT") -> str:
        """Sign with the cached key, for synchronous callers (Authlib grants); the caller awaits
        ``signing_key()`` first so that the cache is fresh."""
        key = self.signing_key_snapshot()
        return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": typ}, claims, key)

    def keyset_snapshot(self) -> KeySet:
        """The cached keys, for synchronous callers (Authlib grants) after ``load``."""
        assert self._loaded is not None, "KeyService.load() has not run"
        return self._loaded.keyset

    def signing_key_snapshot(self) -> RSAKey:
        assert self._loaded is not None, "KeyService.load() has not run"
        return self._signer(self._loaded)


def _unverified_kid(token: str) -> str | None:
    import base64
    import json

    try:
        header_b64 = token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
        kid = header.get("kid")
        return kid if isinstance(kid, str) and len(kid) <= 64 else None
    except (ValueError, UnicodeDecodeError):
        return None
