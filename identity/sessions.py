"""The hosted pages' server-side browser session.

The cookie holds a 256-bit random token; the database keeps only its SHA-256 (``browser_session``).
A session starts anonymous (it carries the CSRF token and the flash of the login form), and login
replaces it by a new one — a new row and a new token — so that a token planted before login is
worth nothing after it (session fixation). Authenticated sessions end after 30 minutes without use
or 12 hours after login (SECURITY.md), when the user's security stamp changes (password reset,
disable), or at logout.

Cookie name: browsers accept a ``__Host-`` cookie only with ``Secure``, ``Path=/`` and no
``Domain``, and a ``Secure`` cookie is never sent back over plain http. So with secure cookies on
(production, or an https public URL) the cookie is ``__Host-portal_session``; a development server
on ``http://127.0.0.1`` uses the plain name ``portal_session`` — otherwise nobody could log in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from db.sync import SyncRunner
from domain.context import RequestMeta
from identity import sessions_repository as store
from kit.clock import utcnow
from kit.crypto import constant_time_equal, new_token, sha256_hex
from settings import Settings

SECURE_COOKIE_NAME = "__Host-portal_session"
PLAIN_COOKIE_NAME = "portal_session"
MAX_COOKIE_LENGTH = 128
# Writing last_seen_at on every page view is wasted I/O: a minute of precision is plenty for a
# 30-minute idle timeout.
TOUCH_EVERY = timedelta(seconds=60)


def cookie_name(settings: Settings) -> str:
    return SECURE_COOKIE_NAME if settings.secure_cookies else PLAIN_COOKIE_NAME


@dataclass
class BrowserSession:
    id: uuid.UUID
    user_id: uuid.UUID | None
    authenticated_at: datetime | None
    amr: list[str]
    created_at: datetime
    expires_at: datetime
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None and self.authenticated_at is not None

    @property
    def csrf_token(self) -> str:
        return str(self.data.get("csrf", ""))

    def csrf_ok(self, submitted: str | None) -> bool:
        expected = self.csrf_token
        return bool(expected) and bool(submitted) and constant_time_equal(expected, submitted or "")


class BrowserSessions:
    def __init__(self, runner: SyncRunner, settings: Settings) -> None:
        self._runner = runner
        self._settings = settings
        self.cookie_name = cookie_name(settings)
        self._idle = timedelta(seconds=settings.session_idle_seconds)
        self._absolute = timedelta(seconds=settings.session_absolute_seconds)

    # --- reading -------------------------------------------------------------------------------

    async def load(self, request: Request) -> BrowserSession | None:
        """The request's live session, or None (no cookie, unknown, ended, expired, stale)."""
        token = request.cookies.get(self.cookie_name)
        if not token or len(token) > MAX_COOKIE_LENGTH:
            return None
        token_hash = sha256_hex(token)
        row = await self._runner.read(lambda session: store.find(session, token_hash))
        now = utcnow()
        if row is None or row.ended_at is not None or now >= row.expires_at:
            return None
        if now >= row.last_seen_at + self._idle:
            return None
        if row.user_id is not None and not row.user_is_current:
            # Disabled, or the password changed since login (a new security stamp).
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            await self._runner.write(lambda session: store.touch(session, row.id, now))
        return BrowserSession(
            id=row.id,
            user_id=row.user_id,
            authenticated_at=row.authenticated_at,
            amr=(row.amr or "").split(),
            created_at=row.created_at,
            expires_at=row.expires_at,
            data=dict(row.data or {}),
        )

    # --- writing -------------------------------------------------------------------------------

    async def start_anonymous(self, meta: RequestMeta) -> tuple[BrowserSession, str]:
        """A session for someone who has not logged in yet: it carries the CSRF token."""
        return await self._runner.write(
            lambda session: self._create(
                session,
                meta,
                previous=None,
                user_id=None,
                security_stamp=None,
                amr=[],
                lifetime=self._idle,
            )
        )

    async def ensure(
        self, request: Request, meta: RequestMeta
    ) -> tuple[BrowserSession, str | None]:
        """The live session, or a new anonymous one (then its token must be set as the cookie)."""
        current = await self.load(request)
        if current is not None:
            return current, None
        return await self.start_anonymous(meta)

    def log_in(
        self,
        session: Session,
        previous: BrowserSession | None,
        *,
        user_id: uuid.UUID,
        security_stamp: int,
        amr: list[str],
        meta: RequestMeta,
    ) -> tuple[BrowserSession, str]:
        """End ``previous`` and start an authenticated session under a new id and token — in the
        caller's transaction (the login's, see domain/login/service.py)."""
        return self._create(
            session,
            meta,
            previous=previous,
            user_id=user_id,
            security_stamp=security_stamp,
            amr=amr,
            lifetime=self._absolute,
        )

    def start_pending(
        self,
        session: Session,
        previous: BrowserSession | None,
        *,
        data: dict[str, Any],
        ttl_seconds: int,
        meta: RequestMeta,
    ) -> tuple[BrowserSession, str]:
        """Half a login (the password was right, a second factor is to come): end ``previous``
        and start an *anonymous* session under a new id and token that carries ``data`` and lives
        ``ttl_seconds`` — in the caller's transaction. Anonymous, so that nothing treats it as a
        login; new, so that a session id planted before the password was typed cannot be used to
        reach the second step (or, when TOTP must be set up, to read the new secret)."""
        return self._create(
            session,
            meta,
            previous=previous,
            user_id=None,
            security_stamp=None,
            amr=[],
            lifetime=timedelta(seconds=ttl_seconds),
            extra=data,
        )

    async def save_data(self, browser_session: BrowserSession) -> None:
        data = dict(browser_session.data)
        await self._runner.write(lambda session: store.set_data(session, browser_session.id, data))

    @staticmethod
    def _create(
        session: Session,
        meta: RequestMeta,
        *,
        previous: BrowserSession | None,
        user_id: uuid.UUID | None,
        security_stamp: int | None,
        amr: list[str],
        lifetime: timedelta,
        extra: dict[str, Any] | None = None,
    ) -> tuple[BrowserSession, str]:
        """End ``previous`` (if any) and insert the session that follows it, living ``lifetime``."""
        now = utcnow()
        if previous is not None:
            store.end(session, previous.id, now)
        expires_at = now + lifetime
        token = new_token()
        data: dict[str, Any] = {**(extra or {}), "csrf": new_token()}
        authenticated_at = now if user_id is not None else None
        session_id = store.insert_session(
            session,
            token_hash=sha256_hex(token),
            user_id=user_id,
            security_stamp=security_stamp,
            authenticated_at=authenticated_at,
            amr=" ".join(amr) or None,
            now=now,
            expires_at=expires_at,
            data=data,
            meta=meta,
        )
        view = BrowserSession(
            id=session_id,
            user_id=user_id,
            authenticated_at=authenticated_at,
            amr=amr,
            created_at=now,
            expires_at=expires_at,
            data=data,
        )
        return view, token

    # --- cookies -------------------------------------------------------------------------------

    def set_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(
            self.cookie_name,
            token,
            max_age=self._settings.session_absolute_seconds,
            path="/",
            secure=self._settings.secure_cookies,
            httponly=True,
            samesite="lax",
        )

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(
            self.cookie_name,
            path="/",
            secure=self._settings.secure_cookies,
            httponly=True,
            samesite="lax",
        )
