"""The provider's HTTP endpoints besides authorization (authorize.py): token, revocation,
userinfo, JWKS, discovery, RP-initiated logout."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from authlib.oauth2 import OAuth2Error
from authlib.oidc.rpinitiated import EndSessionRequest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from domain.authz.repository import load_active_user
from domain.service_accounts import repository as service_accounts
from domain.service_accounts.service import CLIENT_ID_PREFIX
from identity import repository
from identity.access_tokens import InvalidAccessToken, verify_access_token
from identity.authenticate import bearer_token
from identity.oauth import paths
from identity.oauth.authorize import authorize
from identity.oauth.claims import CLAIMS_SUPPORTED, user_claims
from identity.oauth.clients import SUPPORTED_SCOPES
from identity.oauth.code_exchange import exchange_code
from identity.oauth.endpoints import EndSession, Revocation
from identity.oauth.grants import CLIENT_AUTH_METHODS
from identity.oauth.models import ServiceAccountClient
from identity.oauth.refresh import refresh
from identity.oauth.requests import PortalRequest, UnreadableBasic, basic_credentials
from identity.oauth.server import PendingTokenResponse
from identity.provider import IdentityProvider, identity_of
from kit.clock import utcnow
from kit.ids import parse_uuid
from web.forms import BodyTooLarge, MalformedForm, first, read_urlencoded

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(error: str, description: str, status: int = 400, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**NO_STORE, **headers},
    )


async def _form(request: Request) -> list[tuple[str, str]] | JSONResponse:
    try:
        return await read_urlencoded(request) if request.method == "POST" else []
    except BodyTooLarge:
        return _oauth_error("invalid_request", "The request body is too large.", 413)
    except MalformedForm:
        return _oauth_error("invalid_request", "The request body is not a valid form.")


async def _read(
    provider: IdentityProvider,
    request: Request,
    form: list[tuple[str, str]],
    *,
    token_endpoint: bool = False,
) -> PortalRequest | JSONResponse:
    oauth_request = PortalRequest.build(request, provider.services.settings.issuer, form)
    try:
        basic = basic_credentials(request.headers.get("authorization"))
    except UnreadableBasic:
        # RFC 6749 §5.2: a failed authentication through the Authorization header is a 401.
        return _oauth_error(
            "invalid_client",
            "The client credentials are not readable.",
            401,
            **{"WWW-Authenticate": "Basic"},
        )
    # Resolve (and cache) the client before Authlib's synchronous query_client needs it.
    client_id = (basic[0] if basic else None) or oauth_request.form.get("client_id")
    client = await provider.clients.get(client_id)
    oauth_request.meta = provider.meta(request)
    if token_endpoint and client is None and client_id and client_id.startswith(CLIENT_ID_PREFIX):
        # A service account: read fresh for this request only (ServiceAccountClient).
        async with provider.services.db.read_session() as session:
            found = await service_accounts.credentials(session, client_id)
        if found is not None:
            oauth_request.exchange.service_account = ServiceAccountClient(found)
    return oauth_request


async def token(request: Request) -> Response:
    provider = identity_of(request)
    form = await _form(request)
    if isinstance(form, Response):
        return form
    # The common refresh and code exchange, answered without Authlib's machinery (refresh.py,
    # code_exchange.py); None: not that.
    answered = await refresh(provider, request, form) or await exchange_code(
        provider, request, form
    )
    if answered is not None:
        return answered
    oauth_request = await _read(provider, request, form, token_endpoint=True)
    if isinstance(oauth_request, Response):
        return oauth_request
    if not oauth_request.form.get("grant_type"):
        # RFC 6749 §5.2: a missing parameter is invalid_request (Authlib says
        # unsupported_grant_type, which is for a grant type it does not know).
        return _oauth_error("invalid_request", "Missing 'grant_type' parameter.")
    # Refresh the key cache now: tokens are signed synchronously inside the exchange.
    await provider.services.keys.signing_key()
    server = provider.server
    # One transaction, committed even when the answer is an error: a replayed code or refresh
    # token must stay revoked.
    response = await provider.services.sync.write(
        lambda sync: server.token_response(oauth_request, sync)
    )
    if isinstance(response, PendingTokenResponse):
        return response.finalize(server)
    return response


async def revoke(request: Request) -> Response:
    provider = identity_of(request)
    form = await _form(request)
    if isinstance(form, Response):
        return form
    oauth_request = await _read(provider, request, form)
    if isinstance(oauth_request, Response):
        return oauth_request
    await provider.services.keys.signing_key()
    server = provider.server
    response = await provider.services.sync.write(
        lambda sync: server.endpoint_response(
            Revocation.ENDPOINT_NAME, oauth_request, sync, oauth_request
        )
    )
    assert response is not None
    return response


async def userinfo(request: Request) -> Response:
    """OIDC Core §5.3, by GET or POST, with the bearer access token (header or form field)."""
    provider = identity_of(request)
    settings = provider.services.settings
    raw = bearer_token(request.headers.get("authorization"))
    if raw is None and request.method == "POST":
        try:
            raw = first(await read_urlencoded(request), "access_token")
        except (BodyTooLarge, MalformedForm):
            raw = None
    challenge = 'Bearer error="invalid_token"'
    if raw is None:
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer", **NO_STORE})
    try:
        claims = await verify_access_token(
            provider.services.keys, raw, issuer=settings.issuer, audience=settings.api_audience
        )
    except InvalidAccessToken:
        return _oauth_error(
            "invalid_token", "The access token is invalid.", 401, **{"WWW-Authenticate": challenge}
        )
    if "openid" not in claims.scopes:
        return _oauth_error(
            "insufficient_scope",
            "The access token was not granted the openid scope.",
            403,
            **{"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="openid"'},
        )
    grant_id = parse_uuid(claims.session_id)
    # GraphQL's rule (domain.authz.repository): the active user of a live grant, under the
    # token's security stamp, who reaches an organization now.
    async with provider.services.db.single_read() as connection:
        acting = await load_active_user(connection, claims.subject, grant_id)
    if acting is None or (
        claims.security_stamp is not None and claims.security_stamp != acting.security_stamp
    ):
        return _oauth_error(
            "invalid_token", "The access token was revoked.", 401, **{"WWW-Authenticate": challenge}
        )
    if not acting.may_act:
        # Like GraphQL's FORBIDDEN: the token is sound, the account has nothing to act in now
        # (its organizations are suspended); it works again when one is reactivated.
        return _oauth_error(
            "access_denied",
            "The account cannot act now: its organization is suspended.",
            403,
        )
    async with provider.services.db.read_session() as session:
        holder = await repository.live_token_holder(session, claims.subject, grant_id, utcnow())
    if holder is None:  # signed out or disabled in between
        return _oauth_error(
            "invalid_token", "The access token was revoked.", 401, **{"WWW-Authenticate": challenge}
        )
    return JSONResponse(dict(user_claims(holder, " ".join(claims.scopes))), headers=NO_STORE)


async def jwks(request: Request) -> Response:
    keys = await identity_of(request).services.keys.jwks()
    return JSONResponse(keys, headers={"Cache-Control": "public, max-age=300"})


def discovery_document(issuer: str) -> dict[str, Any]:
    """Exactly what the provider does (nothing more is advertised)."""
    return {
        "issuer": issuer,
        "authorization_endpoint": issuer + paths.AUTHORIZE,
        "token_endpoint": issuer + paths.TOKEN,
        "userinfo_endpoint": issuer + paths.USERINFO,
        "jwks_uri": issuer + paths.JWKS,
        "revocation_endpoint": issuer + paths.REVOKE,
        "end_session_endpoint": issuer + paths.END_SESSION,
        "scopes_supported": list(SUPPORTED_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
        "revocation_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": list(CLAIMS_SUPPORTED),
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "authorization_response_iss_parameter_supported": True,
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "require_request_uri_registration": False,
        "ui_locales_supported": ["en"],
    }


async def discovery(request: Request) -> Response:
    issuer = identity_of(request).services.settings.issuer
    return JSONResponse(
        discovery_document(issuer), headers={"Cache-Control": "public, max-age=300"}
    )


async def end_session(request: Request) -> Response:
    """RP-initiated logout (GET or POST), and the hosted pages' own "Log out" button."""
    provider = identity_of(request)
    pages = provider.pages
    try:
        oauth_request = await PortalRequest.read(request, provider.services.settings.issuer)
    except BodyTooLarge:
        return pages.message("Logout failed", "The request is too large.", status_code=413)
    except MalformedForm:
        return pages.message("Logout failed", "The request was not valid.", status_code=400)
    data = oauth_request.payload.data
    await provider.clients.get(
        data.get("client_id") or _unverified_audience(data.get("id_token_hint"))
    )
    browser = await provider.sessions.load(request)
    if browser is not None:
        oauth_request.exchange.browser_session_id = browser.id
    confirmed = (
        request.method == "POST"
        and browser is not None
        and browser.csrf_ok(oauth_request.form.get("csrf_token"))
    )
    oauth_request.exchange.logout_confirmed = confirmed
    server = provider.server
    try:
        validated = server.validate_endpoint_request(EndSession.ENDPOINT_NAME, oauth_request)
    except OAuth2Error as error:
        return pages.message(
            "Logout request not valid",
            "The application that sent you here made a logout request we cannot accept.",
            f"Details for its developers: {error.error}"
            + (f" — {error.description}" if error.description else ""),
            status_code=400,
        )
    assert isinstance(validated, EndSessionRequest)
    if not confirmed and (
        validated.needs_confirmation
        if browser is None
        else EndSession.needs_confirmation(validated, browser.user_id, browser.id)
    ):
        if browser is None:
            return _logged_out(provider)
        client = validated.client
        return pages.render(
            "logout_confirm.html",
            title="Log out",
            csrf_token=browser.csrf_token,
            client_name=client.name if client is not None else None,
            # The confirmation carries no hint: the client (maybe found by the hint's audience)
            # keeps its registered post-logout URI.
            client_id=client.client_id if client is not None else None,
            post_logout_redirect_uri=data.get("post_logout_redirect_uri"),
            state=data.get("state"),
        )
    result = await provider.services.sync.write(
        lambda sync: server.endpoint_response(
            EndSession.ENDPOINT_NAME, validated, sync, oauth_request
        )
    )
    response = result if result is not None else _logged_out(provider)
    provider.sessions.clear_cookie(response)
    return response


def _logged_out(provider: IdentityProvider) -> Response:
    return provider.pages.message(
        "You are logged out",
        "Your Cloud Portal session on this browser has ended.",
        link=("Sign in again", "/login"),
    )


def _unverified_audience(id_token_hint: str | None) -> str | None:
    """The ``aud`` of a hint before verification — only to pick which client to load; Authlib
    verifies the signature."""
    if not id_token_hint or id_token_hint.count(".") != 2 or len(id_token_hint) > 8192:
        return None
    try:
        segment = id_token_hint.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error):
        return None
    aud = claims.get("aud") if isinstance(claims, dict) else None
    return aud if isinstance(aud, str) else None


def oauth_routes() -> list[BaseRoute]:
    return [
        Route(paths.DISCOVERY, discovery, methods=["GET"]),
        Route(paths.AUTHORIZE, authorize, methods=["GET", "POST"]),
        Route(paths.TOKEN, token, methods=["POST"]),
        Route(paths.USERINFO, userinfo, methods=["GET", "POST"]),
        Route(paths.JWKS, jwks, methods=["GET"]),
        Route(paths.REVOKE, revoke, methods=["POST"]),
        Route(paths.END_SESSION, end_session, methods=["GET", "POST"]),
    ]
