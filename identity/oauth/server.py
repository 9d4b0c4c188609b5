"""Authlib's AuthorizationServer on Starlette, bridged to the async database.

**The sync bridge.** Authlib is synchronous; the portal has only async drivers (aiosqlite,
asyncpg). Every Authlib call that touches the database runs inside ``AsyncSession.run_sync``
(``run_in_session``): Authlib gets a plain sync ``Session``, and each statement it executes goes
through SQLAlchemy's greenlet bridge to the async driver, which *yields to the event loop* while
the database works. So no thread, no second connection pool and no sync driver are needed, the
exchange is one transaction (the unit of work commits it), and the event loop is never blocked on
I/O. What does run on the loop is Authlib's own CPU work plus one RS256 signature per token
(~1 ms) — the same as any request handler. (The alternative, a worker thread with its own sync
session, would need a sync driver we do not ship, and a thread hop per request.)

**One server per process.** The server, its grants' configuration and the client cache are built
once (``PortalAuthorizationServer`` in the lifespan); per-request state travels on the request
(``PortalRequest.exchange`` and ``.db``), never on the server.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc9207 import IssuerParameter
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from starlette.responses import Response

from db.models import OAuthGrant, RefreshToken
from identity.access_tokens import ACCESS_TOKEN_TYP, build_access_token_claims
from identity.keys import KeyService
from identity.oauth import store
from identity.oauth.clients import SUPPORTED_SCOPES, ClientRegistry
from identity.oauth.endpoints import EndSession, Revocation
from identity.oauth.grants import CodeGrant, PortalOpenIDCode, RefreshGrant, S256CodeChallenge
from identity.oauth.models import Client
from identity.oauth.requests import PortalRequest
from identity.pages.security import redirect_headers
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex
from settings import Settings

logger = logging.getLogger("portal.oidc")

T = TypeVar("T")


class OAuth2Response(Response):
    """A Starlette response with the ``location`` attribute Authlib's extensions edit."""

    @property
    def location(self) -> str | None:
        return self.headers.get("location")

    @location.setter
    def location(self, value: str) -> None:
        self.headers["location"] = value


class PortalIssuerParameter(IssuerParameter):  # type: ignore[misc]  # Authlib is untyped
    """RFC 9207: ``iss`` in every authorization response, success or error."""

    def __init__(self, issuer: str) -> None:
        self._issuer = issuer

    def get_issuer(self) -> str:
        return self._issuer


async def run_in_session(session: AsyncSession, call: Callable[[Session], T]) -> T:
    """Run synchronous (Authlib) code with ``session``'s sync twin (see the module docstring)."""
    return await session.run_sync(call)


class PortalAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, settings: Settings, keys: KeyService, clients: ClientRegistry) -> None:
        super().__init__(scopes_supported=list(SUPPORTED_SCOPES))
        self.settings = settings
        self.keys = keys
        self.clients = clients
        self.issuer_parameter = PortalIssuerParameter(settings.issuer)
        self.register_extension(lambda server: self.issuer_parameter(server))
        # Only these two grants exist: no implicit, hybrid, password or client-credentials.
        self.register_grant(CodeGrant, [S256CodeChallenge(required=True), PortalOpenIDCode(self)])
        self.register_grant(RefreshGrant)
        self.register_endpoint(Revocation(self))
        self.register_endpoint(EndSession(self))

    # --- Authlib's framework hooks --------------------------------------------------------------

    def query_client(self, client_id: str | None) -> Client | None:
        # The route resolved the client (ClientRegistry.get, async) before calling Authlib.
        return self.clients.peek(client_id)

    def create_oauth2_request(self, request: Any) -> PortalRequest:
        assert isinstance(request, PortalRequest), "routes hand Authlib a PortalRequest"
        return request

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("no JSON endpoints (dynamic registration is not offered)")

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        logger.debug("authlib signal %s", name)

    def validate_requested_scope(self, scope: str | None) -> None:
        # Unknown scope values are ignored, not refused (OIDC Core §3.1.2.1);
        # Client.get_allowed_scope keeps the ones we know.
        return None

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> OAuth2Response:
        header_map = dict(headers)
        if isinstance(body, dict):
            content = json.dumps(body).encode()
            header_map.setdefault("Content-Type", "application/json")
            header_map.setdefault("Cache-Control", "no-store")
            header_map.setdefault("Pragma", "no-cache")
        else:
            content = str(body or "").encode()
        if "Location" in header_map:
            header_map.update(redirect_headers(self.settings))
        return OAuth2Response(content, status_code=status, headers=header_map)

    # --- tokens -----------------------------------------------------------------------------------

    def issue_tokens(
        self, request: PortalRequest, user: store.TokenUser, scope: str, *, refresh: bool
    ) -> dict[str, Any]:
        """The token response: an RFC 9068 access token and, with offline_access, a new refresh
        token of the same family. Signed synchronously with the cached key (refreshed by the
        route before the exchange)."""
        ex = request.exchange
        assert ex.grant_id is not None and ex.auth_time is not None
        settings = self.settings
        claims = build_access_token_claims(
            issuer=settings.issuer,
            audience=settings.api_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
            user_id=user.id,
            client_id=request.client.client_id,
            scope=scope,
            auth_time=int(ex.auth_time.timestamp()),
            security_stamp=user.security_stamp,
            session_id=str(ex.grant_id),
            now=int(time.time()),
        )
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": self.keys.sign_sync(claims, typ=ACCESS_TOKEN_TYP),
            "expires_in": settings.access_token_ttl_seconds,
            "scope": scope,
        }
        if refresh:
            token["refresh_token"] = new_token()
        return token

    def save_token(self, token: dict[str, Any], request: PortalRequest) -> None:
        ex = request.exchange
        user: store.TokenUser = request.user
        assert ex.grant_id is not None and ex.auth_time is not None
        assert ex.family_expires_at is not None
        session = request.session
        if ex.new_grant:
            store.insert_grant(
                session,
                OAuthGrant(
                    id=ex.grant_id,
                    client_id=request.client.client_id,
                    user_id=user.id,
                    scope=token["scope"],
                    authorization_code_id=ex.code_id,
                    browser_session_id=ex.browser_session_id,
                    auth_time=ex.auth_time,
                    amr=ex.amr,
                    security_stamp=user.security_stamp,
                    expires_at=ex.family_expires_at,
                ),
            )
        if "refresh_token" in token:
            store.insert_refresh_token(
                session,
                RefreshToken(
                    token_hash=sha256_hex(token["refresh_token"]),
                    family_id=ex.grant_id,
                    parent_id=ex.parent_token_id,
                    authorization_code_id=ex.code_id,
                    client_id=request.client.client_id,
                    user_id=user.id,
                    scope=token["scope"],
                    auth_time=ex.auth_time,
                    amr=ex.amr,
                    browser_session_id=ex.browser_session_id,
                    expires_at=ex.family_expires_at,
                    created_at=utcnow(),
                ),
            )

    # --- entry points used by the routes (each inside run_in_session) ---------------------------

    def token_response(self, request: PortalRequest, session: Session) -> OAuth2Response:
        request.db = session
        response: OAuth2Response = self.create_token_response(request)
        return response

    def authorization_response(
        self, request: PortalRequest, session: Session, grant: Any, user: Any
    ) -> OAuth2Response:
        request.db = session
        response: OAuth2Response = self.create_authorization_response(
            request=request, grant_user=user, grant=grant
        )
        return response

    def endpoint_response(
        self, name: str, request: Any, session: Session, oauth_request: PortalRequest
    ) -> OAuth2Response | None:
        oauth_request.db = session
        response: OAuth2Response | None = self.create_endpoint_response(name, request)
        return response

    def error_redirect(self, error: OAuth2Error) -> OAuth2Response:
        """An authorization error sent back to the (validated) redirect URI, with ``iss``."""
        assert error.redirect_uri
        status, body, headers = error()
        response = self.handle_response(status, body, headers)
        self.issuer_parameter.add_issuer_parameter(self, response)
        return response


def add_iss(uri: str, issuer: str) -> str:
    return str(add_params_to_uri(uri, {"iss": issuer}))
