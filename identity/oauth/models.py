"""What Authlib sees of our rows: small immutable snapshots implementing its mixins.

Snapshots, not ORM rows, because clients are cached across requests (and processes may share
nothing but the database) and because Authlib code runs inside ``AsyncSession.run_sync`` where a
lazy load would be a hidden query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oidc.core import AuthorizationCodeMixin

from db.models import OAuthClient
from domain.authz.api_scopes import API_SCOPES, ApiScope
from domain.service_accounts.repository import Credentials
from domain.service_accounts.scopes import granted_scope
from kit.crypto import constant_time_equal, sha256_hex

GRANT_TYPES = frozenset({"authorization_code", "refresh_token"})
CONFIDENTIAL_AUTH_METHODS = frozenset({"client_secret_basic", "client_secret_post"})


@dataclass(frozen=True)
class Client(ClientMixin):  # type: ignore[misc]  # Authlib is untyped
    id: uuid.UUID
    client_id: str
    name: str
    secret_hash: str | None
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    scope: frozenset[str]
    public: bool
    first_party: bool
    disabled: bool

    @classmethod
    def from_row(cls, row: OAuthClient) -> Client:
        return cls(
            id=row.id,
            client_id=row.client_id,
            name=row.name,
            secret_hash=row.client_secret_hash,
            redirect_uris=tuple(row.redirect_uris or ()),
            post_logout_redirect_uris=tuple(row.post_logout_redirect_uris or ()),
            scope=frozenset((row.scope or "").split()),
            public=row.public,
            first_party=row.first_party,
            disabled=row.disabled_at is not None,
        )

    @property
    def client_metadata(self) -> dict[str, Any]:
        # Read by Authlib's RP-initiated logout endpoint (exact match). A client registered
        # without post-logout URIs (`create-client` of PRODUCT.md §3 has only --redirect-uri)
        # may come back to its redirect URIs, which it already owns: otherwise no RP of the
        # contract's CLI could ever be sent back after logout (Keycloak's "+" does the same).
        uris = self.post_logout_redirect_uris or self.redirect_uris
        return {"post_logout_redirect_uris": list(uris)}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        # OpenID Connect makes redirect_uri REQUIRED: no default, so a request without one gets
        # the error page instead of a redirect to a guessed address.
        return None

    @property
    def allowed_scopes(self) -> frozenset[str]:
        # A first-party client may hold every API scope, whenever it was registered (clients
        # registered before the API had scopes list only the OpenID ones).
        return self.scope | API_SCOPES if self.first_party else self.scope

    def get_allowed_scope(self, scope: str | None) -> str:
        # Scope values we do not know are ignored (OIDC Core §3.1.2.1), not an error.
        if not scope:
            return ""
        wanted = scope.split()
        allowed = self.allowed_scopes
        return " ".join(dict.fromkeys(s for s in wanted if s in allowed))

    def issued_scope(self, scope: str) -> str:
        """The scope of a token issued for ``scope`` (already allowed and, for a third-party
        client, consented): exactly that, except that a first-party client asking for no API
        scope — the contract's ``openid profile email offline_access`` — gets every API scope,
        as it did before the API had scopes. It never asks the user (authorize.py), and its
        tokens stay limited by the user's role."""
        wanted = scope.split()
        if self.first_party and not API_SCOPES.intersection(wanted):
            wanted += [s.value for s in ApiScope]
        return " ".join(dict.fromkeys(wanted))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Exact string comparison (RFC 9700 §4.1.3): no prefix, no normalization.
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if self.secret_hash is None:
            return False
        return constant_time_equal(sha256_hex(client_secret), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.public:
            return method == "none"
        return method in CONFIDENTIAL_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


@dataclass(frozen=True)
class ServiceAccountClient(ClientMixin):  # type: ignore[misc]
    """A service account as Authlib's client: confidential, ``client_credentials`` only.

    Read from the database for the one token request (never cached: a rotated secret or a
    revoked account stops working at once in every process). It has no redirect URI and no
    response type, so the authorization endpoint (which never looks service accounts up anyway)
    could not serve it either; ordinary clients, for their part, never get this grant
    (``Client.check_grant_type``).
    """

    credentials: Credentials

    @property
    def client_id(self) -> str:
        return self.credentials.client_id

    def get_client_id(self) -> str:
        return self.credentials.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        return granted_scope(self.credentials.role, scope)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return constant_time_equal(sha256_hex(client_secret), self.credentials.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in CONFIDENTIAL_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):  # type: ignore[misc]
    id: uuid.UUID
    client_id: str
    user_id: uuid.UUID
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str
    code_challenge_method: str
    auth_time: datetime
    amr: str | None
    browser_session_id: uuid.UUID | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(self.auth_time.timestamp())

    def get_amr(self) -> list[str] | None:
        return self.amr.split() if self.amr else None


@dataclass
class RefreshTokenRecord(TokenMixin):  # type: ignore[misc]
    id: uuid.UUID
    family_id: uuid.UUID
    client_id: str
    user_id: uuid.UUID
    scope: str
    auth_time: datetime
    amr: str | None
    browser_session_id: uuid.UUID | None
    expires_at: datetime

    def check_client(self, client: Client) -> bool:
        return bool(self.client_id == client.client_id)

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 0

    def is_expired(self) -> bool:
        return False  # checked in SQL when the token is consumed

    def is_revoked(self) -> bool:
        return False  # idem


@dataclass
class AccessTokenRecord(TokenMixin):  # type: ignore[misc]
    """A verified access token presented for revocation: revoking it revokes its grant."""

    grant_id: uuid.UUID | None
    client_id: str

    def check_client(self, client: Client) -> bool:
        return bool(self.client_id == client.client_id)


@dataclass
class EndUser:
    """The logged-in user of the authorization request (from the browser session)."""

    id: uuid.UUID
    auth_time: datetime
    amr: list[str] = field(default_factory=list)
    browser_session_id: uuid.UUID | None = None
