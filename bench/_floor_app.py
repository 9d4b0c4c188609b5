"""The floor of a login: what ``bench_login`` measures with everything but the unavoidable taken
out, served by uvicorn as the portal is (uvloop, httptools).

The same four requests a relying party and its browser make — ``GET /oauth/authorize`` (a
redirect), ``GET /login`` (the form, a session cookie), ``POST /login`` (the form read, the
portal's own Argon2id verification, a redirect with a code), ``POST /oauth/token`` (the form read,
an ID token and an access token signed RS256 with joserfc, as identity/keys.py signs them) — and
nothing else: no database, no session, no throttling, no audit event, no validation, no Authlib,
no middleware. What a login costs on top of this is the portal's own work; what this costs on top
of a verification is the price of the mandated parts (SECURITY.md: RS256 access and ID tokens; the
OIDC code flow's requests), which no change to the portal can remove.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qsl

from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bench.bench_login import PASSWORD, REDIRECT_URI
from domain.accounts.hashing import PasswordHasher
from settings import Settings

# About the size of the portal's login page.
_PAGE = (
    "<!doctype html><html><body>{padding}<form method=post action=/login>"
    '<input name="csrf_token" value="{csrf}"><input name="return_to" value="/oauth/authorize">'
    "<input name=email><input name=password type=password><button>Login</button></form>"
    "</body></html>"
)
_PADDING = "<p>" + "x" * 3000 + "</p>"


class _Floor:
    """The hasher (the portal's, with its parameters) and the key, made in ``create``."""

    def __init__(self) -> None:
        settings = Settings()
        self.hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
            concurrency=1,
        )
        self.key = RSAKey.generate_key(2048, parameters={"kid": "floor"}, private=True)
        self.stored = self.hasher.hash_blocking(PASSWORD)


_floor: _Floor


async def authorize(request: Request) -> Response:
    return RedirectResponse("/login?return_to=%2Foauth%2Fauthorize", status_code=302)


async def login_form(request: Request) -> Response:
    response = HTMLResponse(_PAGE.format(padding=_PADDING, csrf=secrets.token_urlsafe(32)))
    response.set_cookie("portal_session", secrets.token_urlsafe(32), httponly=True)
    return response


async def login(request: Request) -> Response:
    fields = dict(parse_qsl((await request.body()).decode()))
    verified = await _floor.hasher.verify(_floor.stored, fields.get("password", ""))
    if not verified.ok:
        return Response(status_code=400)
    code = secrets.token_urlsafe(32)
    response = RedirectResponse(f"{REDIRECT_URI}?code={code}", status_code=303)
    response.set_cookie("portal_session", secrets.token_urlsafe(32), httponly=True)
    return response


async def token(request: Request) -> Response:
    parse_qsl((await request.body()).decode())
    now = int(time.time())
    claims = {"iss": "http://127.0.0.1", "sub": secrets.token_hex(16), "iat": now, "exp": now + 600}
    header = {"alg": "RS256", "kid": "floor"}
    id_token = jwt.encode({**header, "typ": "JWT"}, {**claims, "aud": "c"}, _floor.key)
    access = jwt.encode(
        {**header, "typ": "at+jwt"}, {**claims, "jti": secrets.token_hex(8)}, _floor.key
    )
    return JSONResponse(
        {"id_token": id_token, "access_token": access, "refresh_token": secrets.token_urlsafe(32)}
    )


def create() -> Starlette:
    global _floor
    _floor = _Floor()
    return Starlette(
        routes=[
            Route("/oauth/authorize", authorize),
            Route("/login", login_form),
            Route("/login", login, methods=["POST"]),
            Route("/oauth/token", token, methods=["POST"]),
        ]
    )
