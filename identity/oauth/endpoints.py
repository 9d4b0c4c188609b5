"""RFC 7009 revocation and OpenID Connect RP-initiated logout, on Authlib's endpoints."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oidc.rpinitiated import EndSessionEndpoint, EndSessionRequest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from identity.access_tokens import ACCESS_TOKEN_TYP
from identity.oauth import models, store
from identity.oauth.grants import CLIENT_AUTH_METHODS
from identity.oauth.requests import PortalRequest
from kit.clock import utcnow
from kit.crypto import sha256_hex

if TYPE_CHECKING:
    from identity.oauth.server import PortalAuthorizationServer


class Revocation(RevocationEndpoint):  # type: ignore[misc]  # Authlib is untyped
    """Revoking either kind of token revokes its grant: the refresh-token family and every
    access token of it (GraphQL refuses access tokens whose grant is revoked)."""

    CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS
    server: PortalAuthorizationServer

    def authenticate_token(
        self, request: PortalRequest, client: models.Client
    ) -> models.AccessTokenRecord | None:
        # Authlib's version reaches the request only through instance state, and this endpoint
        # object serves every request of the process: look the token up with the request here.
        self.check_params(request, client)
        token = self._find(request, request.form["token"])
        if token is not None and not token.check_client(client):
            raise InvalidGrantError()
        return token

    def check_params(self, request: PortalRequest, client: models.Client) -> None:
        # Authlib answers an unknown token_type_hint with unsupported_token_type and a 401; the
        # hint only orders a search we do not need (see _find), so any value is ignored, as
        # RFC 7009 §2.1 lets the server do.
        if "token" not in request.form:
            raise InvalidRequestError()

    def _find(self, request: PortalRequest, token_string: str) -> models.AccessTokenRecord | None:
        # A token_type_hint would only order the search (RFC 7009 §2.1): the form tells them
        # apart (an access token is a JWT, a refresh token is not).
        if not token_string or len(token_string) > 8192:
            return None
        if token_string.count(".") != 2:
            if len(token_string) > 128:
                return None
            found = store.find_refresh_family(request.session, sha256_hex(token_string))
            if found is None:
                return None
            return models.AccessTokenRecord(grant_id=found[0], client_id=found[1])
        return self._access_token(token_string)

    def _access_token(self, token_string: str) -> models.AccessTokenRecord | None:
        try:
            token = jwt.decode(
                token_string, self.server.keys.keyset_snapshot(), algorithms=["RS256"]
            )
        except (JoseError, ValueError):
            return None
        if str(token.header.get("typ", "")).lower() != ACCESS_TOKEN_TYP:
            return None
        claims = token.claims
        if claims.get("iss") != self.server.settings.issuer:
            return None
        try:
            grant_id = uuid.UUID(str(claims.get("sid")))
        except ValueError:
            return None
        return models.AccessTokenRecord(grant_id=grant_id, client_id=str(claims.get("client_id")))

    def revoke_token(self, token: models.AccessTokenRecord, request: PortalRequest) -> None:
        if token.grant_id is not None:
            store.revoke_family(request.session, token.grant_id, utcnow())


class EndSession(EndSessionEndpoint):  # type: ignore[misc]
    """RP-initiated logout: ends the browser session (and every grant made through it).

    Post-logout redirection happens only to a URI registered for the client, matched exactly,
    and only when the request is legitimate: it carries a valid ``id_token_hint`` we issued, or
    the user confirmed the logout on our page.
    """

    server: PortalAuthorizationServer

    def get_server_jwks(self) -> KeySet:
        return self.server.keys.keyset_snapshot()

    def get_algorithms(self) -> list[str]:
        return ["RS256"]

    def validate_request(self, request: PortalRequest) -> EndSessionRequest:
        result: EndSessionRequest = super().validate_request(request)
        claims = result.id_token_claims
        if claims is not None and (
            claims.get("iss") != self.server.settings.issuer
            or claims.get("aud") == self.server.settings.api_audience
        ):
            # Signed by us but not an ID token of this issuer (e.g. an access token).
            raise InvalidRequestError("'id_token_hint' is not an ID token of this provider.")
        return result

    @staticmethod
    def needs_confirmation(
        end_session_request: EndSessionRequest, user_id: uuid.UUID | None, session_id: uuid.UUID
    ) -> bool:
        """Whether ending this browser's session must be confirmed on our page first.

        Authlib asks only when there is no ``id_token_hint``. But any ID token of ours proves
        nothing about *this* browser: someone else's (an attacker's own) would otherwise log the
        signed-in user out and revoke their tokens by a mere link. So a hint must name the
        signed-in user (``sub``) and, when it carries one, this browser session (``sid``)."""
        claims = end_session_request.id_token_claims
        if claims is None:
            return bool(end_session_request.needs_confirmation)
        if user_id is None:
            return False  # nobody signed in: nothing to lose but an anonymous session
        sid = claims.get("sid")
        return claims.get("sub") != str(user_id) or (sid is not None and sid != str(session_id))

    def is_post_logout_redirect_uri_legitimate(
        self,
        request: PortalRequest,
        post_logout_redirect_uri: str,
        client: models.Client,
        logout_hint: str | None,
    ) -> bool:
        return request.exchange.logout_confirmed

    def end_session(self, end_session_request: EndSessionRequest) -> None:
        request: PortalRequest = end_session_request.request
        session = request.session
        now = utcnow()
        ended: set[uuid.UUID] = set()
        current = request.exchange.browser_session_id
        if current is not None:
            store.end_browser_session(session, current, now)
            ended.add(current)
        claims = end_session_request.id_token_claims or {}
        sid = claims.get("sid")
        if sid:
            try:
                hinted = uuid.UUID(str(sid))
            except ValueError:
                return
            owner = store.browser_session_owner(session, hinted)
            # The hint names a session of the same user: end it too (the RP may call us from a
            # browser that lost our cookie).
            if hinted not in ended and owner is not None and str(owner) == claims.get("sub"):
                store.end_browser_session(session, hinted, now)
