"""Use case: test an organization's single-sign-on connection (testSingleSignOn).

Five checks against the upstream provider, each answered in plain words (never the provider's
own text): its discovery document names the configured issuer; its endpoints are usable; its key
set holds a signing key; it accepts the client id and secret (a made-up code sent to the token
endpoint: ``invalid_client`` means the credentials, ``invalid_grant`` means only the code was
refused); it accepts the redirect URI (best effort: what the authorization endpoint answers to
a request that names it). Every request is bounded by ``sso_http_timeout_seconds`` and follows
no redirect. Nothing changes, so nothing is audited.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from db.models import SsoConnection
from domain.authz.principal import Principal
from domain.errors import UserError
from domain.sso import errors
from domain.sso import repository as repo
from domain.sso.connections import ConnectionDeps, client_secret_of
from domain.sso.discovery import WELL_KNOWN, DiscoveryFailed, ProviderMetadata, discover
from domain.sso.federation import redirect_uri
from domain.sso.service import manager_access
from kit.tls import client_context
from settings import Settings

DISCOVERY = "DISCOVERY"
ENDPOINTS = "ENDPOINTS"
SIGNING_KEYS = "SIGNING_KEYS"
CLIENT_CREDENTIALS = "CLIENT_CREDENTIALS"
REDIRECT_URI = "REDIRECT_URI"

_NAMES = {
    DISCOVERY: "Discovery document",
    ENDPOINTS: "Provider endpoints",
    SIGNING_KEYS: "Signing keys",
    CLIENT_CREDENTIALS: "Client id and secret",
    REDIRECT_URI: "Redirect URI",
}
_MAX_BYTES = 256 * 1024
# discovery.discover's words for a document that names the issuer but whose endpoints are not
# usable: that is the endpoints' check failing, not the document's.
_ENDPOINT_PROBLEMS = ("The discovery document has no usable", "The provider does not support")


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    passed: bool | None  # None: not run (an earlier check failed) or no telling
    explanation: str

    @property
    def name(self) -> str:
        return _NAMES[self.code]


async def test_single_sign_on(
    deps: ConnectionDeps, principal: Principal, *, organization_id: str | uuid.UUID | None
) -> list[Check]:
    async with deps.db.read_session() as session:
        access = await manager_access(
            session, principal, organization_id, field=("organizationId",)
        )
        connection = await repo.connection_of(session, access.organization_id)
    if connection is None:
        raise UserError(errors.NOT_CONFIGURED, errors.NOT_CONFIGURED_MESSAGE, ("organizationId",))
    secret = await client_secret_of(deps, connection)
    # Outside any transaction: the provider may take seconds to answer each request.
    return await probe(deps.settings, connection, secret)


async def probe(settings: Settings, connection: SsoConnection, secret: str) -> list[Check]:
    development = not settings.production
    skipped = "Not tested: it needs the provider's discovery document."
    try:
        metadata = await discover(
            connection.issuer,
            http_timeout=settings.sso_http_timeout_seconds,
            allow_http_loopback=development,
        )
    except DiscoveryFailed as exc:
        reason = str(exc)
        if reason.startswith(_ENDPOINT_PROBLEMS):
            first = [
                Check(DISCOVERY, True, _found(connection.issuer)),
                Check(ENDPOINTS, False, reason),
            ]
        else:
            first = [
                Check(DISCOVERY, False, reason),
                Check(ENDPOINTS, None, skipped),
            ]
        return [
            *first,
            *(Check(c, None, skipped) for c in _NAMES if c not in (DISCOVERY, ENDPOINTS)),
        ]
    endpoints = (
        "The sign-in, token and key endpoints all use https."
        if settings.production
        else "The sign-in, token and key endpoints are usable (outside production, http is "
        "accepted on this machine's loopback address)."
    )
    async with httpx.AsyncClient(
        timeout=settings.sso_http_timeout_seconds, follow_redirects=False, verify=client_context()
    ) as http:
        return [
            Check(DISCOVERY, True, _found(metadata.issuer)),
            Check(ENDPOINTS, True, endpoints),
            await _signing_keys(http, metadata),
            await _credentials(http, metadata, settings, connection, secret),
            await _redirect_uri(http, metadata, settings, connection),
        ]


def _found(issuer: str) -> str:
    return (
        f"{issuer.rstrip('/')}{WELL_KNOWN} answers a discovery document that names exactly "
        "the configured issuer."
    )


async def _signing_keys(http: httpx.AsyncClient, metadata: ProviderMetadata) -> Check:
    url = metadata.jwks_uri
    try:
        response = await http.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError:
        return Check(SIGNING_KEYS, False, f"The provider's key set at {url} could not be reached.")
    if response.status_code != 200:
        return Check(
            SIGNING_KEYS, False, f"The key set at {url} answered HTTP {response.status_code}."
        )
    try:
        document = response.json() if len(response.content) <= _MAX_BYTES else None
    except ValueError:
        document = None
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list):
        return Check(SIGNING_KEYS, False, f"{url} does not answer a JSON key set.")
    signing = [
        key
        for key in keys
        if isinstance(key, dict) and isinstance(key.get("kty"), str) and key.get("use") != "enc"
    ]
    if not signing:
        return Check(
            SIGNING_KEYS,
            False,
            f"The key set at {url} holds no signing key, so the provider's sign-ins could not "
            "be checked.",
        )
    count = "one signing key" if len(signing) == 1 else f"{len(signing)} signing keys"
    return Check(SIGNING_KEYS, True, f"The provider publishes {count} at {url}.")


async def _credentials(
    http: httpx.AsyncClient,
    metadata: ProviderMetadata,
    settings: Settings,
    connection: SsoConnection,
    secret: str,
) -> Check:
    """A made-up authorization code sent with the connection's credentials, the way a sign-in
    sends a real one (identity/sso_client.finish): the provider authenticates the client before
    it looks at the code."""
    form = {
        "grant_type": "authorization_code",
        "code": secrets.token_urlsafe(32),
        "redirect_uri": redirect_uri(settings.public_url),
        "code_verifier": secrets.token_urlsafe(48),
    }
    methods = metadata.raw.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth: httpx.BasicAuth | None = None
    if "client_secret_basic" in methods:
        auth = httpx.BasicAuth(connection.client_id, secret)
    else:
        form.update(client_id=connection.client_id, client_secret=secret)
    url = metadata.token_endpoint
    try:
        response = await http.post(url, data=form, auth=auth or httpx.USE_CLIENT_DEFAULT)
    except httpx.HTTPError:
        return Check(
            CLIENT_CREDENTIALS, False, f"The provider's token endpoint {url} could not be reached."
        )
    try:
        answer = response.json() if len(response.content) <= _MAX_BYTES else None
    except ValueError:
        answer = None
    error = answer.get("error") if isinstance(answer, dict) else None
    if response.status_code == 401 or error == "invalid_client":
        return Check(
            CLIENT_CREDENTIALS,
            False,
            "The provider refused the portal's credentials: the client id or secret is wrong. "
            "Copy both again from the application at the provider and save the connection.",
        )
    if error == "unauthorized_client":
        return Check(
            CLIENT_CREDENTIALS,
            False,
            "The provider knows the client but does not allow it the authorization code flow: "
            "enable that grant for the application at the provider.",
        )
    if error == "invalid_grant" or response.status_code == 400:
        return Check(
            CLIENT_CREDENTIALS,
            True,
            "The provider accepted the client id and secret (it refused only the made-up code "
            "the test sent, as it should).",
        )
    return Check(
        CLIENT_CREDENTIALS,
        False,
        f"The token endpoint answered HTTP {response.status_code} to a made-up code, which "
        "tells nothing about the credentials: check the provider's status.",
    )


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


async def _redirect_uri(
    http: httpx.AsyncClient,
    metadata: ProviderMetadata,
    settings: Settings,
    connection: SsoConnection,
) -> Check:
    """Best effort: providers refuse an unregistered redirect URI with an error page (400),
    never a redirect; anything else that looks like the start of a sign-in means accepted."""
    uri = redirect_uri(settings.public_url)
    params = {
        "client_id": connection.client_id,
        "redirect_uri": uri,
        "response_type": "code",
        "scope": "openid",
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "code_challenge": _s256(secrets.token_urlsafe(48)),
        "code_challenge_method": "S256",
    }
    separator = "&" if "?" in metadata.authorization_endpoint else "?"
    try:
        response = await http.get(metadata.authorization_endpoint + separator + urlencode(params))
    except httpx.HTTPError:
        return Check(
            REDIRECT_URI,
            False,
            f"The provider's sign-in endpoint {metadata.authorization_endpoint} could not be "
            "reached.",
        )
    status = response.status_code
    if status in (301, 302, 303, 307, 308) or status == 200:
        return Check(
            REDIRECT_URI,
            True,
            f"The provider accepted the redirect URI {uri}: it starts a sign-in for it.",
        )
    if status == 400:
        return Check(
            REDIRECT_URI,
            False,
            f"The provider does not accept the redirect URI: register {uri} as a redirect URI "
            "of the application at the provider.",
        )
    return Check(
        REDIRECT_URI,
        None,
        f"Could not tell: the sign-in endpoint answered HTTP {status}. Make sure {uri} is "
        "registered as a redirect URI of the application at the provider.",
    )
