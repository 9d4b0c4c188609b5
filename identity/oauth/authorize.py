"""The authorization endpoint: validate with Authlib, then log in, consent, or issue a code.

Order matters for safety: nothing is redirected to the client before Authlib has validated the
client and the exact redirect URI; until then every error is our own error page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oidc.core.errors import (
    ConsentRequiredError,
    LoginRequiredError,
    RequestNotSupportedError,
    RequestURINotSupportedError,
)
from joserfc.errors import JoseError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity import repository
from identity.keys import UnknownKey
from identity.oauth import paths
from identity.oauth.models import Client, EndUser
from identity.oauth.requests import PortalRequest, public_uri
from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession
from web.forms import BodyTooLarge, MalformedForm

KNOWN_PROMPTS = frozenset({"none", "login", "consent", "select_account"})
MAX_ID_TOKEN_HINT = 8192
MAX_RETURN_TO = 6000


def is_authorize_return(value: str | None) -> bool:
    """A ``return_to`` we may redirect to after login or consent: our own authorization endpoint
    (a relative path, so it can never lead to another site)."""
    return (
        value is not None
        and len(value) <= MAX_RETURN_TO
        and value.startswith(paths.AUTHORIZE + "?")
        and not any(c in value for c in "\\\r\n")
    )


def error_page(provider: IdentityProvider, error: OAuth2Error) -> Response:
    return provider.pages.message(
        "This sign-in link is not valid",
        "The application that sent you here made a request we cannot accept, so we did not "
        "send you back to it.",
        f"Details for its developers: {error.error}"
        + (f" — {error.description}" if error.description else ""),
        status_code=400,
    )


def _return_to(oauth_request: PortalRequest, *, drop_prompts: set[str], after_login: bool) -> str:
    """The same authorization request, minus what the login or consent just satisfied (so that
    coming back does not ask again). A login satisfies max_age and the id_token_hint: whoever
    just signed in is the user the request is answered for."""
    items: list[tuple[str, str]] = []
    for key, values in oauth_request.payload.datalist.items():
        for value in values:
            if key == "prompt":
                kept = [p for p in value.split() if p not in drop_prompts]
                if kept:
                    items.append((key, " ".join(kept)))
            elif key in {"max_age", "id_token_hint"} and after_login:
                continue
            else:
                items.append((key, value))
    return f"{paths.AUTHORIZE}?{urlencode(items)}"


def _to_page(name: str, return_to: str) -> Response:
    return RedirectResponse(
        f"{PAGE_PATHS[name]}?{urlencode({'return_to': return_to})}",
        status_code=303,
        headers={"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"},
    )


def _check_extras(oauth_request: PortalRequest, redirect_uri: str) -> tuple[set[str], int | None]:
    """What Authlib leaves to us: request objects, response_mode, prompt and max_age syntax."""
    data = oauth_request.payload.data
    state = data.get("state")
    if "request" in data:
        raise RequestNotSupportedError(redirect_uri=redirect_uri, state=state)
    if "request_uri" in data:
        raise RequestURINotSupportedError(redirect_uri=redirect_uri, state=state)
    if data.get("response_mode", "query") != "query":
        raise InvalidRequestError(
            "Only response_mode=query is supported.", redirect_uri=redirect_uri, state=state
        )
    prompts = set((data.get("prompt") or "").split()) & KNOWN_PROMPTS
    if "none" in prompts and len(prompts) > 1:
        raise InvalidRequestError(
            "prompt=none cannot be combined with other values.",
            redirect_uri=redirect_uri,
            state=state,
        )
    raw_max_age = data.get("max_age")
    max_age = None
    if raw_max_age is not None:
        if not raw_max_age.isdigit() or len(raw_max_age) > 10:
            raise InvalidRequestError(
                "max_age must be a non-negative integer.", redirect_uri=redirect_uri, state=state
            )
        max_age = int(raw_max_age)
    return prompts, max_age


@dataclass(frozen=True, slots=True)
class Pending:
    """An authorization request and what is read for it before its transaction: the client and
    the subject its ``id_token_hint`` names."""

    oauth_request: PortalRequest
    client: Client | None
    hinted: str | None


async def _pending(provider: IdentityProvider, oauth_request: PortalRequest) -> Pending:
    client = await provider.clients.get(oauth_request.first("client_id"))
    # Only a hint (it can only make us ask for a login): read before the request is validated.
    hinted = await _hinted_subject(provider, oauth_request)
    return Pending(oauth_request, client, hinted)


async def authorize(request: Request) -> Response:
    provider = identity_of(request)
    settings = provider.services.settings
    try:
        oauth_request = await PortalRequest.read(request, settings.issuer)
    except (BodyTooLarge, MalformedForm):
        return provider.pages.message(
            "This sign-in link is not valid", "The request is too large.", status_code=400
        )
    pending = await _pending(provider, oauth_request)
    token = provider.sessions.cookie_token(request)
    if token is None:  # nobody is signed in: no code can be issued, nothing to read or write
        return answer(provider, pending, None, None)
    # The browser session, the decision and the code in one transaction (one trip to the
    # database thread, db/sync.py).
    return await provider.services.sync.write(
        lambda db: answer(provider, pending, db, provider.sessions.load_in(db, token))
    )


async def returned_to(provider: IdentityProvider, request: Request, return_to: str) -> Pending:
    """The authorization request a login returns to (``is_authorize_return``), read as the
    browser's request to it would be: the login answers it in its own transaction (``answer``)
    instead of sending the browser back here for it — one request and one transaction fewer
    per login, with the same decision (identity/pages/login.py)."""
    query = urlsplit(return_to).query
    oauth_request = PortalRequest(
        "GET",
        public_uri(provider.services.settings.issuer, paths.AUTHORIZE, query),
        request.headers,
        parse_qsl(query, keep_blank_values=True),
        [],
    )
    return await _pending(provider, oauth_request)


def answer(
    provider: IdentityProvider,
    pending: Pending,
    db: Session | None,
    browser: BrowserSession | None,
) -> Response:
    """Log in, consent, an error, or the code (``db``: the transaction ``browser`` was read in;
    None without a session cookie, when there is no signed-in user to issue a code to)."""
    oauth_request, client, hinted = pending.oauth_request, pending.client, pending.hinted
    end_user = None
    if browser is not None and browser.authenticated:
        assert browser.user_id is not None and browser.authenticated_at is not None
        end_user = EndUser(browser.user_id, browser.authenticated_at, browser.amr, browser.id)

    server = provider.server
    try:
        # Client, exact redirect URI, response type, scope, PKCE (S256), nonce: no I/O here.
        grant = server.get_consent_grant(oauth_request, end_user)
        prompts, max_age = _check_extras(oauth_request, grant.redirect_uri)
        state = oauth_request.payload.state
        needs_login = (
            end_user is None
            or "login" in prompts
            or (max_age is not None and time.time() - end_user.auth_time.timestamp() > max_age)
            # OIDC Core §3.1.2.1: the RP names the user it expects; another one signed in here
            # must not be answered for silently (prompt=none gets login_required).
            or (hinted is not None and hinted != str(end_user.id))
        )
        if needs_login:
            if "none" in prompts:
                raise LoginRequiredError(redirect_uri=grant.redirect_uri, state=state)
            return _to_page(
                "login",
                _return_to(oauth_request, drop_prompts={"login"}, after_login=True),
            )
        assert end_user is not None and client is not None and db is not None
        if _needs_consent(db, client, end_user, oauth_request.scope, prompts):
            if "none" in prompts:
                raise ConsentRequiredError(redirect_uri=grant.redirect_uri, state=state)
            return _to_page(
                "consent",
                _return_to(oauth_request, drop_prompts={"consent"}, after_login=False),
            )
    except OAuth2Error as error:
        if error.error == "unsupported_response_type" and not oauth_request.first("response_type"):
            # RFC 6749 §4.1.2.1: a missing parameter is invalid_request.
            error = InvalidRequestError(
                "Missing 'response_type' parameter.",
                redirect_uri=error.redirect_uri,
                state=error.state,
            )
        if error.redirect_uri:
            return server.error_redirect(error)
        return error_page(provider, error)

    return server.authorization_response(oauth_request, db, grant, end_user)


async def _hinted_subject(provider: IdentityProvider, oauth_request: PortalRequest) -> str | None:
    """The ``sub`` of ``id_token_hint`` when it is one of our ID tokens (expired is fine: it is
    only a hint). A hint we cannot verify is ignored: it could only make us ask for a login."""
    hint = oauth_request.first("id_token_hint")
    if not isinstance(hint, str) or not hint or len(hint) > MAX_ID_TOKEN_HINT:
        return None
    settings = provider.services.settings
    try:
        token = await provider.services.keys.decode(hint)
    except (JoseError, ValueError, UnknownKey):
        return None
    claims = token.claims
    if (
        str(token.header.get("typ", "JWT")).lower() != "jwt"
        or claims.get("iss") != settings.issuer
        or claims.get("aud") == settings.api_audience
    ):
        return None  # signed by us, but an access token, not an ID token
    sub = claims.get("sub")
    return sub if isinstance(sub, str) else None


def _needs_consent(
    db: Session,
    client: Client,
    user: EndUser,
    scope: str | None,
    prompts: set[str],
) -> bool:
    # First-party clients (registered by the operator) never ask.
    if client.first_party:
        return False
    if "consent" in prompts:
        return True
    granted = repository.consented_scope(db, user.id, client.client_id)
    return not set((scope or "").split()) <= set((granted or "").split())
