"""The console's server-side sessions: the browser holds a random token, the server the rest.

A row is found by the token's SHA-256, and its payload is sealed with AES-GCM under a key derived
(HKDF) from the token itself: the database alone opens nothing, not even the refresh tokens.
Login replaces the session (a new token) so a cookie planted before login is worth nothing after
it; sessions end after ``idle_seconds`` without use and ``absolute_seconds`` after login.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from starlette.requests import Request
from starlette.responses import Response

from console.config import ConsoleConfig

SECURE_COOKIE = "__Host-portal_console"
PLAIN_COOKIE = "portal_console"
MAX_COOKIE_LENGTH = 128
# A login that has not come back from the provider within this time is forgotten.
PENDING_SECONDS = 600
MAX_PENDING_LOGINS = 5
TOUCH_EVERY = 60


@dataclass(frozen=True)
class StoredSession:
    sealed: bytes
    last_seen_at: datetime
    expires_at: datetime


class SessionStore(Protocol):
    """Where sealed sessions live (web/console_store.py: a table shared by every process)."""

    async def load(self, token_hash: str) -> StoredSession | None: ...

    async def save(
        self, token_hash: str, sealed: bytes, *, last_seen_at: datetime, expires_at: datetime
    ) -> None: ...

    async def delete(self, token_hash: str) -> None: ...


@dataclass
class Tokens:
    access_token: str
    refresh_token: str | None
    id_token: str | None
    expires_at: float
    subject: str


@dataclass
class ConsoleSession:
    csrf: str
    logged_in_at: float | None = None
    tokens: Tokens | None = None
    # state -> {nonce, verifier, return_to, started}: logins on their way through the provider.
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    organization_id: str | None = None
    flash: list[dict[str, str]] = field(default_factory=list)
    # Form values and field errors of a refused POST, shown once by the page it redirects to.
    form: dict[str, Any] = field(default_factory=dict)
    # Not persisted: the cookie value, and whether anything changed.
    token: str = ""
    dirty: bool = False
    fresh: bool = False

    @property
    def authenticated(self) -> bool:
        return self.tokens is not None

    def add_flash(self, text: str, kind: str = "ok") -> None:
        self.flash.append({"kind": kind, "text": text})
        self.dirty = True

    def pop_flash(self) -> list[dict[str, str]]:
        out, self.flash = self.flash, []
        if out:
            self.dirty = True
        return out

    def pop_form(self, name: str) -> dict[str, Any]:
        if name in self.form:
            self.dirty = True
            value: dict[str, Any] = self.form.pop(name)
            return value
        return {}

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(submitted) and secrets.compare_digest(self.csrf, submitted or "")

    def to_json(self) -> bytes:
        data = asdict(self)
        data.pop("token")
        data.pop("dirty")
        data.pop("fresh")
        return json.dumps(data, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes, token: str) -> ConsoleSession:
        data = json.loads(raw)
        tokens = data.pop("tokens")
        return cls(**data, tokens=Tokens(**tokens) if tokens else None, token=token)


def _key(token: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal-console-session"
    ).derive(token.encode())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def seal(token: str, payload: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(_key(token)).encrypt(nonce, payload, b"console")


def unseal(token: str, sealed: bytes) -> bytes | None:
    try:
        return AESGCM(_key(token)).decrypt(sealed[:12], sealed[12:], b"console")
    except (InvalidTag, ValueError):
        return None


def _now() -> datetime:
    return datetime.now(UTC)


class Sessions:
    def __init__(self, store: SessionStore, config: ConsoleConfig) -> None:
        self._store = store
        self._config = config
        self.cookie_name = SECURE_COOKIE if config.secure_cookies else PLAIN_COOKIE

    async def load(self, request: Request) -> ConsoleSession | None:
        token = request.cookies.get(self.cookie_name, "")
        if not token or len(token) > MAX_COOKIE_LENGTH:
            return None
        stored = await self._store.load(_hash(token))
        now = _now()
        if stored is None or stored.expires_at <= now:
            return None
        raw = unseal(token, stored.sealed)
        if raw is None:
            return None
        session = ConsoleSession.from_json(raw, token)
        if session.authenticated:
            idle_end = stored.last_seen_at + timedelta(seconds=self._config.idle_seconds)
            if idle_end <= now:
                await self._store.delete(_hash(token))
                return None
            if (now - stored.last_seen_at).total_seconds() >= TOUCH_EVERY:
                session.dirty = True
        return session

    def new(self) -> ConsoleSession:
        return ConsoleSession(
            csrf=secrets.token_urlsafe(32), token=secrets.token_urlsafe(32), dirty=True, fresh=True
        )

    async def save(self, session: ConsoleSession) -> None:
        if not session.dirty:
            return
        now = _now()
        if session.logged_in_at is not None:
            absolute = datetime.fromtimestamp(session.logged_in_at, UTC) + timedelta(
                seconds=self._config.absolute_seconds
            )
            expires = min(absolute, now + timedelta(seconds=self._config.idle_seconds))
        else:
            expires = now + timedelta(seconds=PENDING_SECONDS)
        await self._store.save(
            _hash(session.token),
            seal(session.token, session.to_json()),
            last_seen_at=now,
            expires_at=expires,
        )
        session.dirty = False

    async def end(self, session: ConsoleSession) -> None:
        await self._store.delete(_hash(session.token))

    async def log_in(self, old: ConsoleSession, tokens: Tokens) -> ConsoleSession:
        """A new session (new token, new CSRF token) for the signed-in person; the old one ends."""
        await self.end(old)
        fresh = self.new()
        fresh.tokens = tokens
        fresh.logged_in_at = time.time()
        await self.save(fresh)
        return fresh

    def set_cookie(self, response: Response, session: ConsoleSession) -> None:
        response.set_cookie(
            self.cookie_name,
            session.token,
            path="/",
            httponly=True,
            secure=self._config.secure_cookies,
            samesite="lax",
        )

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(
            self.cookie_name,
            path="/",
            httponly=True,
            secure=self._config.secure_cookies,
            samesite="lax",
        )


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
