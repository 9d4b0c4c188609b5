"""The hosted pages' server-side browser session.

The cookie holds a 256-bit random token; the database keeps only its SHA-256 (``browser_session``).
A session starts anonymous (it carries the CSRF token and the flash of the login form), and login
replaces it by a new one — a new row and a new token — so that a token planted before login is
worth nothing after it (session fixation). Authenticated sessions end after 30 minutes without use
or 12 hours after login (SECURITY.md), when the user's security stamp changes (password reset,
disable), or at logout.

An anonymous session starts as a *draft*: a cookieless visitor looking at a form gets a cookie
token and a CSRF token derived from it (an HMAC keyed by the cookie token, with the time it was
issued: only whoever holds the cookie can produce it, and it is good for the idle timeout), but
no row. The row is written when something must be kept — a flash after a failed POST, the data of
a half-done login — so a flood of cookieless page views writes nothing (``save_data``,
``log_in`` and ``start_pending`` accept a draft). A cookie whose row has ended never becomes a
draft again: that browser gets a new token.

Cookie name: browsers accept a ``__Host-`` cookie only with ``Secure``, ``Path=/`` and no
``Domain``, and a ``Secure`` cookie is never sent back over plain http. So with secure cookies on
(production, or an https public URL) the cookie is ``__Host-portal_session``; a development server
on ``http://127.0.0.1`` uses the plain name ``portal_session`` — otherwise nobody could log in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from db.sync import SyncRunner
from domain.context import RequestMeta
from identity import sessions_repository as store
from kit.clock import utcnow
from kit.crypto import constant_time_equal, new_token, sha256_hex
from kit.ids import uuid7
from settings import Settings

T = TypeVar("T")

SECURE_COOKIE_NAME = "__Host-portal_session"
PLAIN_COOKIE_NAME = "portal_session"
MAX_COOKIE_LENGTH = 128
# What our tokens are made of (URL-safe base64, kit.crypto.new_token): a cookie value as it is.
_PLAIN_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{1,128}")
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
    # A draft (see the module docstring): not stored yet; its cookie token and the request's
    # meta, to store it when something must be kept.
    draft: _Draft | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None and self.authenticated_at is not None

    @property
    def csrf_token(self) -> str:
        return str(self.data.get("csrf", ""))

    def csrf_ok(self, submitted: str | None) -> bool:
        expected = self.csrf_token
        return bool(expected) and bool(submitted) and constant_time_equal(expected, submitted or "")


@dataclass(frozen=True, slots=True)
class _Draft:
    token: str
    meta: RequestMeta


def _touch_due(row: store.BrowserSessionRow | None, now: datetime) -> bool:
    return row is not None and now - row.last_seen_at >= TOUCH_EVERY


DRAFT_CSRF_PREFIX = "d"


def draft_csrf_token(cookie_token: str, issued_at: int) -> str:
    mac = hmac.new(cookie_token.encode(), f"csrf:{issued_at}".encode(), hashlib.sha256)
    return f"{DRAFT_CSRF_PREFIX}.{issued_at}.{mac.hexdigest()}"


def draft_csrf_ok(cookie_token: str, submitted: str | None, max_age_seconds: int) -> bool:
    """Whether ``submitted`` is a draft's CSRF token for this cookie, issued at most
    ``max_age_seconds`` ago."""
    if not submitted or len(submitted) > 100:
        return False
    prefix, _, rest = submitted.partition(".")
    issued, _, _mac = rest.partition(".")
    if prefix != DRAFT_CSRF_PREFIX or not issued.isdigit():
        return False
    age = int(utcnow().timestamp()) - int(issued)
    if not -60 <= age <= max_age_seconds:  # a minute of clock skew between processes
        return False
    return constant_time_equal(draft_csrf_token(cookie_token, int(issued)), submitted)


class BrowserSessions:
    def __init__(self, runner: SyncRunner, settings: Settings) -> None:
        self._runner = runner
        self._settings = settings
        self.cookie_name = cookie_name(settings)
        self._idle = timedelta(seconds=settings.session_idle_seconds)
        self._absolute = timedelta(seconds=settings.session_absolute_seconds)
        self._cookie_attributes = (
            f"; HttpOnly; Max-Age={settings.session_absolute_seconds}; Path=/; SameSite=lax"
            + ("; Secure" if settings.secure_cookies else "")
        )

    # --- reading -------------------------------------------------------------------------------

    def cookie_token(self, request: Request) -> str | None:
        """The session cookie's token, if it has one that could be ours."""
        token = request.cookies.get(self.cookie_name)
        if not token or len(token) > MAX_COOKIE_LENGTH:
            return None
        return token

    async def _find(self, token: str) -> store.BrowserSessionRow | None:
        token_hash = sha256_hex(token)
        return await self._runner.read(lambda session: store.find(session, token_hash))

    async def _find_with(
        self, token: str, also: Callable[[Session], T]
    ) -> tuple[store.BrowserSessionRow | None, T]:
        token_hash = sha256_hex(token)
        return await self._runner.read(
            lambda session: (store.find(session, token_hash), also(session))
        )

    async def load(self, request: Request) -> BrowserSession | None:
        """The request's live stored session, or None (no cookie, unknown, ended, expired,
        stale, or a draft)."""
        token = self.cookie_token(request)
        if token is None:
            return None
        return await self._live(await self._find(token))

    def load_in(self, session: Session, token: str) -> BrowserSession | None:
        """``load`` for the session whose cookie holds ``token``, in the caller's write
        transaction (which keeps its touch)."""
        row = store.find(session, sha256_hex(token))
        now = utcnow()
        current = self._current(row, now)
        if current is not None and _touch_due(row, now):
            store.touch(session, current.id, now)
        return current

    async def _live(self, row: store.BrowserSessionRow | None) -> BrowserSession | None:
        now = utcnow()
        current = self._current(row, now)
        if current is not None and _touch_due(row, now):
            session_id = current.id
            await self._runner.write(lambda session: store.touch(session, session_id, now))
        return current

    def _current(self, row: store.BrowserSessionRow | None, now: datetime) -> BrowserSession | None:
        """The session of ``row`` if it is live at ``now``."""
        if row is None or row.ended_at is not None or now >= row.expires_at:
            return None
        if now >= row.last_seen_at + self._idle:
            return None
        if row.user_id is not None and not row.user_is_current:
            # Disabled, or the password changed since login (a new security stamp).
            return None
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

    def _draft(self, token: str, meta: RequestMeta, csrf: str | None = None) -> BrowserSession:
        now = utcnow()
        return BrowserSession(
            id=uuid7(),  # the row's id, once it is stored
            user_id=None,
            authenticated_at=None,
            amr=[],
            created_at=now,
            expires_at=now + self._idle,
            data={"csrf": csrf or draft_csrf_token(token, int(utcnow().timestamp()))},
            draft=_Draft(token, meta),
        )

    async def ensure(
        self, request: Request, meta: RequestMeta
    ) -> tuple[BrowserSession, str | None]:
        """The live session, or an anonymous draft (then its token must be set as the cookie):
        a page view writes nothing."""
        token = self.cookie_token(request)
        row = await self._find(token) if token is not None else None
        current = await self._live(row)
        if current is not None:
            return current, None
        if token is None or row is not None:
            token = new_token()  # no cookie, or its session is over: never revive a token
        return self._draft(token, meta), token

    async def submitted(
        self,
        request: Request,
        csrf_token: str | None,
        meta: RequestMeta,
        also: Callable[[Session], T],
    ) -> tuple[BrowserSession, T] | None:
        """The session a form came back from, if ``csrf_token`` is its CSRF token: the stored
        one, or the draft the form was shown with (still not stored). None otherwise. ``also``
        reads what the form's handler needs in the same transaction (one trip to the database
        thread, db/sync.py); its answer is of no use to a form refused here."""
        token = self.cookie_token(request)
        if token is None:
            return None
        row, found = await self._find_with(token, also)
        if row is not None:
            current = await self._live(row)
            if current is None or not current.csrf_ok(csrf_token):
                return None
            return current, found
        if not draft_csrf_ok(token, csrf_token, int(self._idle.total_seconds())):
            return None
        return self._draft(token, meta, csrf_token), found

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
        """Keep the session's data; a draft is stored now (its cookie is already set)."""
        data = dict(browser_session.data)
        draft = browser_session.draft
        if draft is None:
            await self._runner.write(
                lambda session: store.set_data(session, browser_session.id, data)
            )
            return

        def insert(session: Session) -> None:
            store.insert_session(
                session,
                session_id=browser_session.id,
                token_hash=sha256_hex(draft.token),
                user_id=None,
                security_stamp=None,
                authenticated_at=None,
                amr=None,
                now=browser_session.created_at,
                expires_at=browser_session.expires_at,
                data=data,
                meta=draft.meta,
            )

        await self._runner.write(insert)
        browser_session.draft = None

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
        if previous is not None and previous.draft is None:  # a draft has no row to end
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
        if _PLAIN_COOKIE_VALUE.fullmatch(token):
            # Starlette's header, written directly: its set_cookie goes through the standard
            # library's http.cookies, a sizeable part of a login page's own CPU
            # (tests/identity/test_sessions_cookie.py compares the two).
            header = f"{self.cookie_name}={token}{self._cookie_attributes}"
            response.raw_headers.append((b"set-cookie", header.encode("latin-1")))
            return
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
