"""Authlib's AuthorizationServer on Starlette.

**One server per process.** The server, its grants' configuration and the client cache are built
once (in the lifespan); per-request state travels on the request (``PortalRequest.exchange`` and
``.db``), never on the server. Every call that touches the database runs through
``services.sync.write`` with a sync session (db/sync.py says how, and why that way).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import ClientAuthentication
from authlib.oauth2.rfc6749.errors import InvalidClientError
from sqlalchemy.orm import Session
from starlette.responses import Response

from domain.audit.repository import INSERT_EVENT
from domain.audit.service import entry
from domain.service_accounts import repository as service_accounts
from identity.access_tokens import (
    ACCESS_TOKEN_TYP,
    build_access_token_claims,
    build_service_account_claims,
)
from identity.keys import KeyService
from identity.oauth import store
from identity.oauth.claims import id_token_claims
from identity.oauth.clients import SUPPORTED_SCOPES, ClientRegistry
from identity.oauth.endpoints import EndSession, Revocation
from identity.oauth.grants import (
    CodeGrant,
    PortalOpenIDCode,
    RefreshGrant,
    S256CodeChallenge,
    ServiceAccountGrant,
)
from identity.oauth.models import AuthorizationCode, Client, ServiceAccountClient
from identity.oauth.requests import PortalRequest
from identity.pages.security import redirect_headers
from kit.clock import utcnow
from kit.crypto import new_token
from settings import Settings

logger = logging.getLogger("portal.oidc")


class OAuth2Response(Response):
    """A Starlette response made from an Authlib answer (``render``)."""


@dataclass(frozen=True)
class UnsignedToken:
    """An access token still to be signed: see ``PendingTokenResponse``."""

    claims: dict[str, Any]
    typ: str


@dataclass(frozen=True)
class PendingTokenResponse:
    """A token response whose access token is signed after the exchange's transaction.

    A refresh answers with no ID token, so nothing inside the exchange needs the signed access
    token: signing it (the costliest step, ~0.3 ms of RSA) after the commit keeps it out of the
    serialized part of the exchange (one SQLite writer at a time; db/sync.py).
    """

    status: int
    body: dict[str, Any]
    headers: list[tuple[str, str]]

    def finalize(self, server: PortalAuthorizationServer) -> OAuth2Response:
        body = {
            key: server.keys.sign_sync(value.claims, typ=value.typ)
            if isinstance(value, UnsignedToken)
            else value
            for key, value in self.body.items()
        }
        return server.render(self.status, body, self.headers)


class PortalAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, settings: Settings, keys: KeyService, clients: ClientRegistry) -> None:
        super().__init__(scopes_supported=list(SUPPORTED_SCOPES))
        self.settings = settings
        self.keys = keys
        self.clients = clients
        # Only these grants exist: no implicit, hybrid or password grant; client credentials
        # for service accounts alone (ServiceAccountClient; ordinary clients refuse the grant).
        self.register_grant(CodeGrant, [S256CodeChallenge(required=True), PortalOpenIDCode(self)])
        self.register_grant(RefreshGrant)
        self.register_grant(ServiceAccountGrant)
        self.register_endpoint(Revocation(self))
        self.register_endpoint(EndSession(self))

    # --- Authlib's framework hooks --------------------------------------------------------------

    def query_client(self, client_id: str | None) -> Client | None:
        # The route resolved the client (ClientRegistry.get, async) before calling Authlib.
        return self.clients.peek(client_id)

    def authenticate_client(
        self, request: PortalRequest, methods: list[str], endpoint: str = "token"
    ) -> Client | ServiceAccountClient:
        """Authlib's client authentication, looking clients up per request: a service account
        was read for this request only (PortalRequest.exchange.service_account), never from the
        shared cache. A wrong secret for a known service account is audited."""
        account: ServiceAccountClient | None = request.exchange.service_account

        def query(client_id: str | None) -> Client | ServiceAccountClient | None:
            if account is not None and endpoint == "token" and client_id == account.client_id:
                return account
            return self.query_client(client_id)

        try:
            client: Client | ServiceAccountClient = ClientAuthentication(query)(
                request, methods, endpoint
            )
        except InvalidClientError:
            if account is not None and endpoint == "token":
                request.session.connection().execute(
                    INSERT_EVENT,
                    entry(
                        "service_account.authentication_failed",
                        meta=request.meta,
                        actor_user_id=account.credentials.user_id,
                        organization_id=account.credentials.organization_id,
                        target_type="service_account",
                        target_id=account.credentials.id,
                    ),
                )
            raise
        return client

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
    ) -> OAuth2Response | PendingTokenResponse:
        if isinstance(body, dict) and any(isinstance(v, UnsignedToken) for v in body.values()):
            return PendingTokenResponse(status, body, headers)
        return self.render(status, body, headers)

    def render(self, status: int, body: Any, headers: list[tuple[str, str]]) -> OAuth2Response:
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
        # What the code or refresh token carries, as the client may hold it (a refresh that
        # names a narrower scope, already checked by Authlib, gets just that); the response's
        # ``scope`` says what was issued (RFC 6749 §3.3), and so does every later refresh.
        if not request.payload.scope:
            scope = request.client.issued_scope(scope)
        claims = self.access_claims(request.client, user, scope, ex.grant_id, ex.auth_time)
        # With an ID token to come (a code exchange), the ID token's at_hash needs the signed
        # access token now; a refresh signs after its transaction (PendingTokenResponse).
        deferred = request.payload.grant_type == "refresh_token"
        access = (
            UnsignedToken(claims, ACCESS_TOKEN_TYP)
            if deferred
            else self.keys.sign_sync(claims, typ=ACCESS_TOKEN_TYP)
        )
        return self.token_body(access, scope, new_token() if refresh else None)

    def access_claims(
        self,
        client: Client,
        user: store.TokenUser,
        scope: str,
        grant_id: uuid.UUID,
        auth_time: datetime,
    ) -> dict[str, Any]:
        """The claims of an RFC 9068 access token for ``user`` through ``client``'s grant."""
        settings = self.settings
        return build_access_token_claims(
            issuer=settings.issuer,
            audience=settings.api_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
            user_id=user.id,
            client_id=client.client_id,
            scope=scope,
            auth_time=int(auth_time.timestamp()),
            security_stamp=user.security_stamp,
            session_id=str(grant_id),
            now=int(time.time()),
        )

    def id_token_claims(
        self, code: AuthorizationCode, access_token: str, user: store.TokenUser, scope: str
    ) -> dict[str, Any]:
        """The claims of the ID token for a redeemed ``code`` (claims.id_token_claims), on both
        paths of the code exchange."""
        settings = self.settings
        return id_token_claims(
            issuer=settings.issuer,
            ttl_seconds=settings.id_token_ttl_seconds,
            code=code,
            access_token=access_token,
            user=user,
            scope=scope,
            now=int(time.time()),
        )

    def token_body(
        self, access_token: str | UnsignedToken, scope: str, refresh_token: str | None
    ) -> dict[str, Any]:
        """A token response's body, in the order clients have always seen it."""
        body: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": access_token,
            "expires_in": self.settings.access_token_ttl_seconds,
            "scope": scope,
        }
        if refresh_token is not None:
            body["refresh_token"] = refresh_token
        return body

    def issue_service_account_token(
        self, request: PortalRequest, client: ServiceAccountClient, scope: str
    ) -> dict[str, Any]:
        """A service account's access token (no refresh or ID token), once its use is recorded:
        a revocation or rotation committed since the lookup refuses it (invalid_client)."""
        account = client.credentials
        session = request.session
        now = utcnow()
        if not service_accounts.mark_used(session, account, now):
            raise InvalidClientError()
        session.connection().execute(
            INSERT_EVENT,
            entry(
                "service_account.token_issued",
                meta=request.meta,
                actor_user_id=account.user_id,
                organization_id=account.organization_id,
                target_type="service_account",
                target_id=account.id,
                details={"scope": scope},
            ),
        )
        settings = self.settings
        claims = build_service_account_claims(
            issuer=settings.issuer,
            audience=settings.api_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
            service_account_id=account.id,
            client_id=account.client_id,
            scope=scope,
            secret_version=account.secret_version,
            organization_id=account.organization_id,
            now=int(now.timestamp()),
        )
        # Signed after the exchange's transaction, as a refresh's (PendingTokenResponse).
        return {
            "token_type": "Bearer",
            "access_token": UnsignedToken(claims, ACCESS_TOKEN_TYP),
            "expires_in": settings.access_token_ttl_seconds,
            "scope": scope,
        }

    def save_token(self, token: dict[str, Any], request: PortalRequest) -> None:
        ex = request.exchange
        user: store.TokenUser = request.user
        assert ex.grant_id is not None and ex.auth_time is not None
        assert ex.family_expires_at is not None
        session = request.session
        now = utcnow()
        if ex.new_grant:
            store.insert_grant(
                session,
                store.grant_row(
                    grant_id=ex.grant_id,
                    client_id=request.client.client_id,
                    user=user,
                    scope=token["scope"],
                    code=request.authorization_code,
                    expires_at=ex.family_expires_at,
                    now=now,
                ),
            )
        if "refresh_token" in token:
            store.insert_refresh_token(
                session,
                store.refresh_token_row(
                    token["refresh_token"],
                    family_id=ex.grant_id,
                    parent_id=ex.parent_token_id,
                    code_id=ex.code_id,
                    client_id=request.client.client_id,
                    user_id=user.id,
                    scope=token["scope"],
                    auth_time=ex.auth_time,
                    amr=ex.amr,
                    browser_session_id=ex.browser_session_id,
                    expires_at=ex.family_expires_at,
                    now=now,
                ),
            )

    # --- entry points used by the routes (each inside services.sync.write) ----------------------

    def token_response(
        self, request: PortalRequest, session: Session
    ) -> OAuth2Response | PendingTokenResponse:
        request.db = session
        response: OAuth2Response | PendingTokenResponse = self.create_token_response(request)
        return response

    def authorization_response(
        self, request: PortalRequest, session: Session, grant: Any, user: Any
    ) -> OAuth2Response:
        """The code for ``grant``, which ``get_consent_grant`` validated (authorize.py): what
        Authlib's ``create_authorization_response`` makes of it — the code generated and saved,
        ``code`` and ``state`` added to the redirect URI — with RFC 9207's ``iss`` added in the
        same pass, as every authorization response carries it (``error_redirect`` too). Not
        the request validated a second time (a pure function of the request and the client,
        both unchanged), nor Authlib's hooks around it: none is registered for these events
        (tests/identity/test_authorization_requests.py)."""
        assert user is not None  # authorize.answer issues codes to a signed-in user only
        request.db = session
        request.user = user
        code = grant.generate_authorization_code()
        grant.save_authorization_code(code, request)
        params = [("code", code)]
        if request.payload.state:
            params.append(("state", request.payload.state))
        params.append(("iss", self.settings.issuer))
        return self.render(302, "", [("Location", add_params_to_uri(grant.redirect_uri, params))])

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
        iss = [("iss", self.settings.issuer)]
        headers = [
            (name, add_params_to_uri(value, iss) if name == "Location" else value)
            for name, value in headers
        ]
        return self.render(status, body, headers)
