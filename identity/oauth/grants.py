"""The grants, with Authlib's unsafe defaults overridden (SECURITY.md "OIDC provider").

* Authorization code only (no implicit, hybrid or password grant is registered) with PKCE
  required for every client and S256 only — Authlib's ``CodeChallenge`` accepts ``plain`` and
  lets a confidential client skip PKCE.
* Codes are 256-bit, stored as SHA-256, live ``authorization_code_ttl_seconds`` (60 s), are
  consumed with a conditional update, and stay as tombstones: a replayed code revokes the grant it
  started (every token it issued).
* Refresh tokens rotate on every use (``INCLUDE_NEW_REFRESH_TOKEN``); a rotated-out token revokes
  its family, except when the same client presents it again within
  ``refresh_reuse_grace_seconds`` of its rotation (a lost response, a retry, a second tab): then
  the family is reissued, one live chain kept (store.consume_refresh_token); the family ends at an
  absolute time.
* ID tokens: RS256 with the ``kid`` of the signing key, ``nonce``, ``auth_time``, ``amr``, ``sid``
  (the browser session) and ``at_hash``. ``prompt`` and ``max_age`` are handled by the
  authorization route, which knows the browser session (routes.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import (
    InvalidGrantError,
    InvalidRequestError,
    UnauthorizedClientError,
)
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode

from identity.oauth import models, store
from identity.oauth.requests import PortalRequest
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex
from kit.ids import uuid7

if TYPE_CHECKING:
    from identity.oauth.server import PortalAuthorizationServer

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
MAX_NONCE_LENGTH = 500
# Longer codes and refresh tokens are never ours (new_token: 43 characters).
MAX_TOKEN_LENGTH = 128


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def s256_matches(code_verifier: str, code_challenge: str) -> bool:
    return hmac.compare_digest(_s256(code_verifier), code_challenge)


class S256CodeChallenge(CodeChallenge):  # type: ignore[misc]  # Authlib is untyped
    """PKCE for every authorization request, S256 only (RFC 9700 §2.1.1)."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]  # noqa: RUF012 (Authlib's class attribute)
    CODE_CHALLENGE_METHODS = {"S256": s256_matches}  # noqa: RUF012

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError(
                "PKCE is required: send 'code_challenge' with 'code_challenge_method=S256'."
            )
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        # Every code has a challenge, so every client (confidential ones too) must prove it.
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'.")
        super().validate_code_verifier(grant, result)


class _PortalGrant:
    """Token issuance shared by both grants: our JWT access tokens and rotating refresh tokens."""

    request: PortalRequest
    server: PortalAuthorizationServer

    def generate_token(
        self,
        user: store.TokenUser | None = None,
        scope: str | None = None,
        grant_type: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        assert user is not None
        scope = scope or ""
        return self.server.issue_tokens(
            self.request,
            user,
            scope,
            refresh=include_refresh_token and "offline_access" in scope.split(),
        )


class CodeGrant(_PortalGrant, grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def generate_authorization_code(self) -> str:
        return new_token()

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        nonce = self.request.payload.data.get("nonce")
        if nonce is not None and len(nonce) > MAX_NONCE_LENGTH:
            raise InvalidRequestError("'nonce' is too long.", redirect_uri=redirect_uri)
        return redirect_uri

    def save_authorization_code(self, code: str, request: PortalRequest) -> None:
        user: models.EndUser = request.user
        data = request.payload.data
        store.save_code(
            request.session,
            sha256_hex(code),
            models.AuthorizationCode(
                id=uuid7(),
                client_id=request.client.client_id,
                user_id=user.id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                nonce=data.get("nonce"),
                code_challenge=data["code_challenge"],
                code_challenge_method=data.get("code_challenge_method", "S256"),
                auth_time=user.auth_time,
                amr=" ".join(user.amr) or None,
                browser_session_id=user.browser_session_id,
            ),
            expires_at=utcnow()
            + timedelta(seconds=self.server.settings.authorization_code_ttl_seconds),
        )

    def query_authorization_code(
        self, code: str, client: models.Client
    ) -> models.AuthorizationCode | None:
        if not code or len(code) > MAX_TOKEN_LENGTH:
            return None
        found = store.consume_code(
            self.request.session, sha256_hex(code), client.client_id, utcnow()
        )
        if found is not None:
            ex = self.request.exchange
            ex.grant_id = uuid7()
            ex.new_grant = True
            ex.code_id = found.id
            ex.auth_time = found.auth_time
            ex.amr = found.amr
            ex.browser_session_id = found.browser_session_id
            ex.family_expires_at = utcnow() + timedelta(
                seconds=self.server.settings.refresh_token_ttl_seconds
            )
        return found

    def delete_authorization_code(self, authorization_code: models.AuthorizationCode) -> None:
        # Consumed (used_at) in query_authorization_code and kept as a tombstone.
        return None

    def authenticate_user(self, authorization_code: models.AuthorizationCode) -> store.TokenUser:
        user = store.load_token_user(self.request.session, authorization_code.user_id)
        if user is None:
            raise InvalidGrantError("The user may no longer sign in.")
        return user


class RefreshGrant(_PortalGrant, grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> models.RefreshTokenRecord | None:
        if not refresh_token or len(refresh_token) > MAX_TOKEN_LENGTH:
            return None
        client = self.request.client
        record = store.consume_refresh_token(
            self.request.session,
            sha256_hex(refresh_token),
            client.client_id,
            utcnow(),
            reuse_grace=timedelta(seconds=self.server.settings.refresh_reuse_grace_seconds),
        )
        if record is None:
            return None
        ex = self.request.exchange
        ex.grant_id = record.family_id
        ex.parent_token_id = record.id
        ex.auth_time = record.auth_time
        ex.amr = record.amr
        ex.browser_session_id = record.browser_session_id
        ex.family_expires_at = record.expires_at
        return record

    def authenticate_user(self, refresh_token: models.RefreshTokenRecord) -> store.TokenUser:
        now = utcnow()
        user = store.load_token_user(
            self.request.session, refresh_token.user_id, live_grant=refresh_token.family_id, now=now
        )
        if user is None:
            # Revoked or expired grant; a disabled or suspended user; or a password changed
            # since login: the family ends.
            store.revoke_family(self.request.session, refresh_token.family_id, now)
            raise InvalidGrantError("The refresh token is no longer valid.")
        return user

    def revoke_old_credential(self, refresh_token: models.RefreshTokenRecord) -> None:
        # Rotated out (rotated_at) when it was consumed in authenticate_refresh_token.
        return None


class ServiceAccountGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """``client_credentials`` for service accounts only (RFC 6749 §4.4): a confidential client,
    authenticated by its secret (HTTP Basic or the form), gets an access token — no refresh
    token, no ID token — that acts in its organization with its role. Each issue is recorded
    (``last_used_at``) and audited with the service account as actor."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]  # noqa: RUF012
    server: PortalAuthorizationServer

    def validate_token_request(self) -> None:
        super().validate_token_request()
        client = self.request.client
        assert isinstance(client, models.ServiceAccountClient)
        if not client.credentials.usable:
            raise UnauthorizedClientError("The service account's organization is suspended.")

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        client: models.ServiceAccountClient = self.request.client
        scope = client.get_allowed_scope(self.request.payload.scope)
        token = self.server.issue_service_account_token(self.request, client, scope)
        return 200, token, self.TOKEN_RESPONSE_HEADER


class PortalOpenIDCode(OpenIDCode):  # type: ignore[misc]
    """ID tokens signed by the portal's current key, with its ``kid`` (claims.id_token_claims)."""

    def __init__(self, server: PortalAuthorizationServer) -> None:
        super().__init__(require_nonce=False)
        self._server = server

    def __call__(self, grant: Any) -> None:
        # Authlib also registers its own ``prompt`` handling here; ours lives in the
        # authorization route (it needs the browser session's auth_time for max_age).
        grant.register_hook("after_create_token_response", self.process_token)
        grant.register_hook(
            "after_validate_authorization_request_payload",
            self.validate_openid_authorization_request,
        )

    def exists_nonce(self, nonce: str, request: PortalRequest) -> bool:
        # Replay of a nonce is the relying party's to detect (it compares the ID token's nonce
        # with the one it sent); the code is single use anyway.
        return False

    def encode_id_token(self, token: dict[str, Any], request: PortalRequest) -> str:
        # The claims as the fast path builds them (code_exchange.py): one definition for both.
        claims = self._server.id_token_claims(
            request.authorization_code, token["access_token"], request.user, token["scope"]
        )
        return self._server.keys.sign_sync(claims, typ="JWT")
