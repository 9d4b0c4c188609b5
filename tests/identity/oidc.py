"""Driving the provider like a browser and a relying party would, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
from starlette.requests import Request

from identity.oauth import paths
from identity.oauth.clients import create_client
from runtime import Services
from tests.factories import DEFAULT_PASSWORD
from tests.support.html import Page, parse_page
from tests.support.server import LiveServer

REDIRECT_URI = "http://127.0.0.1:9/callback"
LOGOUT_URI = "http://127.0.0.1:9/logged-out"


@dataclass
class RegisteredClient:
    client_id: str
    client_secret: str | None
    redirect_uri: str = REDIRECT_URI

    def auth(self) -> httpx.BasicAuth | None:
        if self.client_secret is None:
            return None
        return httpx.BasicAuth(self.client_id, self.client_secret)

    def form_auth(self) -> dict[str, str]:
        return {} if self.client_secret is not None else {"client_id": self.client_id}


def token_endpoint_request(client: RegisteredClient) -> Request:
    """A bare POST to the token endpoint carrying ``client``'s HTTP Basic credentials (none for
    a public client): what a fast path of the token endpoint reads besides the form."""
    headers = []
    auth = client.auth()
    if auth is not None:
        built = next(auth.auth_flow(httpx.Request("POST", "http://x/")))
        headers.append((b"authorization", built.headers["authorization"].encode()))
    return Request({"type": "http", "method": "POST", "headers": headers})


def client_fields(client: RegisteredClient, *, fast: bool) -> dict[str, str]:
    """The form fields by which ``client`` authenticates at the token endpoint (with ``auth()``
    as the header): in the shape the endpoint's fast paths take, or in one that means the same
    and goes to Authlib's path — a confidential client's ``client_id`` repeated beside HTTP
    Basic; a public client's empty ``client_secret`` (RFC 6749 §2.3.1 lets a client send it,
    Authlib reads it as absent)."""
    public = client.client_secret is None
    fields = {"client_id": client.client_id} if public or not fast else {}
    if public and not fast:
        fields["client_secret"] = ""
    return fields


def answer_shape(response: httpx.Response) -> dict[str, Any]:
    """A token endpoint answer's status, caching headers and body keys (not their values)."""
    headers = {k: response.headers.get(k) for k in ("content-type", "cache-control", "pragma")}
    return {"status": response.status_code, "headers": headers, "keys": list(response.json())}


async def register_client(
    services: Services,
    *,
    public: bool = False,
    third_party: bool = False,
    redirect_uri: str = REDIRECT_URI,
    post_logout_redirect_uris: list[str] | None = None,
) -> RegisteredClient:
    created = await create_client(
        services.db,
        name="Test App",
        redirect_uris=[redirect_uri],
        post_logout_redirect_uris=post_logout_redirect_uris or [LOGOUT_URI],
        public=public,
        third_party=third_party,
    )
    return RegisteredClient(created.client_id, created.client_secret, redirect_uri)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    return verifier, challenge


@dataclass
class AuthRequest:
    client: RegisteredClient
    scope: str = "openid profile email offline_access"
    state: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    verifier: str = ""
    challenge: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.verifier:
            self.verifier, self.challenge = pkce()

    def params(self) -> dict[str, str]:
        params = {
            "response_type": "code",
            "client_id": self.client.client_id,
            "redirect_uri": self.client.redirect_uri,
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
        }
        params.update(self.extra)
        return {k: v for k, v in params.items() if v is not None}

    def url(self) -> str:
        return f"{paths.AUTHORIZE}?{urlencode(self.params())}"


class Browser:
    """A cookie jar that follows redirects within the portal and stops at any other origin."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.AsyncClient(base_url=base_url, follow_redirects=False, timeout=30)

    async def close(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def is_ours(self, url: str) -> bool:
        absolute = urljoin(self.base_url + "/", url)
        return urlsplit(absolute).netloc == urlsplit(self.base_url).netloc

    async def navigate(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Request, then follow our own redirects; returns the page or the foreign redirect."""
        response = await self.http.request(method, url, **kwargs)
        for _ in range(10):
            if response.status_code not in {301, 302, 303, 307, 308}:
                return response
            location = response.headers["location"]
            if not self.is_ours(location):
                return response
            response = await self.http.get(location)
        raise AssertionError("too many redirects")

    async def submit(self, page: Page, action: str, values: dict[str, str]) -> httpx.Response:
        form = page.form(action)
        data = {**form.fields, **values}
        return await self.navigate("POST", form.action, data=data)

    async def login(
        self, response: httpx.Response, email: str, password: str = DEFAULT_PASSWORD
    ) -> httpx.Response:
        assert response.status_code == 200, response.text
        return await self.submit(
            parse_page(response.text), "/login", {"email": email, "password": password}
        )


def callback_params(response: httpx.Response, redirect_uri: str = REDIRECT_URI) -> dict[str, str]:
    assert response.status_code in {302, 303}, (response.status_code, response.text[:500])
    location = response.headers["location"]
    assert location.startswith(redirect_uri + "?"), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def sign_in(
    browser: Browser, request: AuthRequest, email: str, password: str = DEFAULT_PASSWORD
) -> dict[str, str]:
    """Authorization request → login form → back at the client with a code."""
    page = await browser.navigate("GET", request.url())
    return callback_params(await browser.login(page, email, password), request.client.redirect_uri)


async def exchange_code(
    http: httpx.AsyncClient, request: AuthRequest, code: str, **overrides: str
) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": request.client.redirect_uri,
        "code_verifier": request.verifier,
        **request.client.form_auth(),
    }
    data.update(overrides)
    return await http.post(
        paths.TOKEN, data=data, auth=request.client.auth() or httpx.USE_CLIENT_DEFAULT
    )


async def refresh(
    http: httpx.AsyncClient, client: RegisteredClient, refresh_token: str
) -> httpx.Response:
    return await http.post(
        paths.TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token, **client.form_auth()},
        auth=client.auth() or httpx.USE_CLIENT_DEFAULT,
    )


async def full_sign_in(
    live_url: str,
    http: httpx.AsyncClient,
    client: RegisteredClient,
    email: str,
    *,
    scope: str = "openid profile email offline_access",
    browser: Browser | None = None,
) -> tuple[AuthRequest, dict[str, Any]]:
    """Log in through the hosted form and exchange the code: (the request, the token response)."""
    request = AuthRequest(client, scope=scope)
    own = browser is None
    browser = browser or Browser(live_url)
    try:
        params = await sign_in(browser, request, email)
    finally:
        if own:
            await browser.close()
    response = await exchange_code(http, request, params["code"])
    assert response.status_code == 200, response.text
    return request, response.json()


VIEWER = "{ viewer { user { email } } }"


async def verified_claims(http: httpx.AsyncClient, token: str) -> dict[str, Any]:
    """A JWT of ours, its signature checked against the published JWKS."""
    from joserfc import jwt
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set((await http.get(paths.JWKS)).json())
    return dict(jwt.decode(token, keys, algorithms=["RS256"]).claims)


async def log_in(live: LiveServer, rp: RegisteredClient, email: str, password: str) -> str:
    """An access token for ``email``, logged in through the hosted form with ``password``."""
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await browser.navigate("GET", request.url())
        params = callback_params(await browser.login(page, email, password), rp.redirect_uri)
    tokens = (await exchange_code(live.client, request, params["code"])).json()
    token: str = tokens["access_token"]
    return token
