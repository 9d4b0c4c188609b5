"""Starlette → Authlib: the request Authlib reads, and the per-request state our grants fill in.

Authlib reads parameters through ``request.payload`` (``data``: the first value of each,
``datalist``: all values, to refuse repeated parameters) and ``request.form``. The body is read
(asynchronously, with a size cap) before Authlib runs, so nothing inside it awaits.
"""

from __future__ import annotations

import base64
import binascii
import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from authlib.common.security import is_secure_transport
from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from sqlalchemy.orm import Session
from starlette.datastructures import Headers
from starlette.requests import Request

from domain.context import RequestMeta
from web.forms import read_urlencoded


class PortalPayload(OAuth2Payload):  # type: ignore[misc]  # Authlib is untyped
    def __init__(self, items: list[tuple[str, str]]) -> None:
        datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in items:
            datalist[key].append(value)
        self._datalist = datalist
        self._data = {key: values[0] for key, values in datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


@dataclass
class Exchange:
    """What one token or authorization exchange learns on its way (set by our grants)."""

    grant_id: uuid.UUID | None = None
    new_grant: bool = False
    code_id: uuid.UUID | None = None
    parent_token_id: uuid.UUID | None = None
    auth_time: datetime | None = None
    amr: str | None = None
    browser_session_id: uuid.UUID | None = None
    family_expires_at: datetime | None = None
    # RP-initiated logout: the user confirmed on our page (CSRF-checked) / their session.
    logout_confirmed: bool = False
    # The token endpoint: the service account named by the request's client id, read fresh
    # before Authlib runs (identity/oauth/routes.py); Authlib's client lookup finds it here.
    service_account: Any = None


class PortalRequest(OAuth2Request):  # type: ignore[misc]
    def __init__(
        self,
        method: str,
        uri: str,
        headers: Headers,
        query: list[tuple[str, str]],
        form: list[tuple[str, str]],
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        # Authorization and logout requests may come by GET (query) or POST (form); token,
        # revocation and userinfo parameters come in the body only.
        self.payload = PortalPayload(form if method == "POST" else query)
        self._args = {k: v for k, v in reversed(query)}
        self._form = {k: v for k, v in reversed(form)}
        self.exchange = Exchange()
        # The sync session of the current ``run_sync`` call (see server.py).
        self.db: Session | None = None
        # Where the request came from, for the audit events written inside Authlib.
        self.meta: RequestMeta | None = None

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form

    @property
    def session(self) -> Session:
        assert self.db is not None, "Authlib ran outside AsyncSession.run_sync"
        return self.db

    @classmethod
    async def read(cls, request: Request, issuer: str) -> PortalRequest:
        form = await read_urlencoded(request) if request.method == "POST" else []
        return cls.build(request, issuer, form)

    @classmethod
    def build(cls, request: Request, issuer: str, form: list[tuple[str, str]]) -> PortalRequest:
        """With the body already read (``form``: empty for a GET)."""
        query = list(request.query_params.multi_items())
        return cls(request.method, _public_uri(issuer, request), request.headers, query, form)

    def first(self, name: str) -> Any:
        return self.payload.data.get(name)


def _public_uri(issuer: str, request: Request) -> str:
    """The URL as the client addressed it (behind a proxy ``request.url`` is the internal one).

    Authlib only uses it to refuse plain http to non-loopback hosts. Production already refuses
    such an issuer (settings.py); a development server on a LAN http address is allowed to run,
    so there the check is satisfied with the https form of the same URL.
    """
    scope = request.scope
    path = scope.get("root_path", "") + scope["path"]
    return public_uri(issuer, path, scope.get("query_string", b"").decode("latin-1"))


def public_uri(issuer: str, path: str, query: str) -> str:
    """``path?query`` on the public base (``_public_uri``)."""
    uri = _public_base(issuer) + path
    return f"{uri}?{query}" if query else uri


@functools.lru_cache(maxsize=8)
def _public_base(issuer: str) -> str:
    """``scheme://host[:port]`` of every request's public URL: the issuer's (decided once per
    issuer, not per request), in its https form when the issuer's would not pass Authlib's
    transport check."""
    base = urlsplit(issuer)
    if is_secure_transport(urlunsplit((base.scheme, base.netloc, "/", "", ""))):
        return f"{base.scheme}://{base.netloc}"
    return f"https://{base.netloc}"


class UnreadableBasic(Exception):
    """Basic credentials that are not base64 of UTF-8 (Authlib would fail on them with a 500)."""


def basic_credentials(header: str | None) -> tuple[str, str | None] | None:
    """(client id, secret or None) of an ``Authorization: Basic`` header, read as Authlib reads
    it (base64 not validated, each part URL-unquoted); None for no or another scheme, or for
    what is not base64. Raises UnreadableBasic for base64 that is not UTF-8."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        raw = base64.b64decode(value.strip())
    except binascii.Error:
        return None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableBasic from error
    client_id, colon, secret = decoded.partition(":")
    return unquote(client_id), unquote(secret) if colon else None
