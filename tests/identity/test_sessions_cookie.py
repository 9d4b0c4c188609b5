"""identity/sessions.py: the session cookie written directly is the header Starlette's
``set_cookie`` writes, with and without ``Secure``; a value Starlette would quote still goes
through Starlette. No database: the header only."""

from __future__ import annotations

import pytest
from starlette.responses import Response

from db.sync import SyncRunner
from identity.sessions import BrowserSessions
from kit.crypto import new_token
from settings import Settings


def _starlettes(settings: Settings, name: str, token: str) -> list[tuple[bytes, bytes]]:
    response = Response()
    response.set_cookie(
        name,
        token,
        max_age=settings.session_absolute_seconds,
        path="/",
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    return [header for header in response.raw_headers if header[0] == b"set-cookie"]


# Tokens as kit.crypto.new_token makes them (its alphabet, its lengths), and one Starlette quotes.
TOKENS = ["Zx9_-" * 8 + "abc", "A" * 43, "a-b_c", 'quoted "value";']


def test_the_tokens_above_look_like_ours() -> None:
    ours = new_token()
    assert len(ours) == 43 and ours.replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize("secure", [True, False])
@pytest.mark.parametrize("token", TOKENS)
def test_the_cookie_is_starlettes(secure: bool, token: str) -> None:
    settings = Settings(
        database_url="sqlite+aiosqlite:///unused.db",
        public_url="https://portal.example" if secure else "http://127.0.0.1:8000",
    )
    assert settings.secure_cookies is secure
    sessions = BrowserSessions(SyncRunner.__new__(SyncRunner), settings)
    response = Response()
    sessions.set_cookie(response, token)
    written = [header for header in response.raw_headers if header[0] == b"set-cookie"]
    assert written == _starlettes(settings, sessions.cookie_name, token)
