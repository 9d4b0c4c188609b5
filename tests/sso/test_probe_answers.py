"""The connection test's reading of answers a Cloud Portal upstream never gives (a provider on a
real loopback HTTP server that answers what each test sets): an issuer that names itself
differently, unusable endpoints, a key set without signing keys, a client not allowed the code
flow, client_secret_post, an authorization endpoint that tells nothing."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from db.models import SsoConnection
from domain.sso.probe import Check, probe
from settings import Settings

Answer = tuple[int, Any]


class Provider:
    """``answers``: path → (status, JSON body or None); ``posted``: the forms received."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.posted: list[tuple[dict[str, list[str]], str | None]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                status, body = provider.answers.get(urlsplit(self.path).path, (404, None))
                raw = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                if status in (302, 303):
                    self.send_header("Location", provider.url + "/login")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                provider.posted.append((form, self.headers.get("Authorization")))
                self._answer()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def document(self, **changes: Any) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": self.url + "/authorize",
            "token_endpoint": self.url + "/token",
            "jwks_uri": self.url + "/jwks",
            "response_types_supported": ["code"],
            **changes,
        }

    def serve(self, **changes: Any) -> None:
        self.answers["/.well-known/openid-configuration"] = (200, self.document(**changes))


@pytest.fixture
def provider() -> Iterator[Provider]:
    upstream = Provider()
    thread = threading.Thread(target=upstream.server.serve_forever, daemon=True)
    thread.start()
    yield upstream
    upstream.server.shutdown()
    upstream.server.server_close()
    thread.join()


def connection_to(provider: Provider) -> SsoConnection:
    return SsoConnection(id=uuid.uuid4(), issuer=provider.url, client_id="portal-app")


async def run(settings: Settings, provider: Provider) -> dict[str, Check]:
    checks = await probe(settings, connection_to(provider), "the-secret")
    return {check.code: check for check in checks}


def results(checks: dict[str, Check]) -> list[bool | None]:
    return [check.passed for check in checks.values()]


async def test_an_issuer_named_differently(settings: Settings, provider: Provider) -> None:
    provider.serve(issuer="https://login.example.com/tenant")
    checks = await run(settings, provider)
    assert results(checks) == [False, None, None, None, None]
    assert "names itself differently" in checks["DISCOVERY"].explanation
    assert all(c.explanation.startswith("Not tested") for c in list(checks.values())[1:])


async def test_unusable_endpoints_fail_their_own_check(
    settings: Settings, provider: Provider
) -> None:
    provider.serve(token_endpoint="http://idp.example.com/token")  # http off loopback
    checks = await run(settings, provider)
    assert results(checks) == [True, False, None, None, None]
    assert checks["ENDPOINTS"].explanation == "The discovery document has no usable token_endpoint."


async def test_no_signing_key_a_client_without_the_code_flow_and_no_telling(
    settings: Settings, provider: Provider
) -> None:
    provider.serve()
    provider.answers["/jwks"] = (
        200,
        {"keys": [{"kty": "RSA", "use": "enc", "n": "x", "e": "AQAB"}]},
    )
    provider.answers["/token"] = (400, {"error": "unauthorized_client", "error_description": "ü"})
    provider.answers["/authorize"] = (500, None)
    checks = await run(settings, provider)
    assert results(checks) == [True, True, False, False, None]
    assert "holds no signing key" in checks["SIGNING_KEYS"].explanation
    assert "does not allow it the authorization code flow" in (
        checks["CLIENT_CREDENTIALS"].explanation
    )
    assert "ü" not in checks["CLIENT_CREDENTIALS"].explanation  # never the provider's words
    assert checks["REDIRECT_URI"].explanation.startswith("Could not tell")


async def test_client_secret_post_and_a_bare_401(settings: Settings, provider: Provider) -> None:
    provider.serve(token_endpoint_auth_methods_supported=["client_secret_post"])
    provider.answers["/jwks"] = (200, {"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}]})
    provider.answers["/token"] = (401, None)
    provider.answers["/authorize"] = (302, None)
    checks = await run(settings, provider)
    assert results(checks) == [True, True, True, False, True]
    assert "the client id or secret is wrong" in checks["CLIENT_CREDENTIALS"].explanation
    ((form, authorization),) = provider.posted
    assert authorization is None
    assert form["client_id"] == ["portal-app"] and form["client_secret"] == ["the-secret"]
    assert form["grant_type"] == ["authorization_code"]
    assert form["redirect_uri"] == [settings.public_url + "/sso/callback"]
    assert form["code"][0] and form["code_verifier"][0]
