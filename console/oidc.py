"""The console as a relying party: authorization code + PKCE (S256), refresh, revocation
(RFC 7009) and RP-initiated logout, all server to server against the portal's own provider.

The ID token arrives straight from the token endpoint (over ASGI in-process, or TLS), so its
claims are checked (iss, aud, nonce, exp) without a signature check (OIDC Core §3.1.3.7 item 6).
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from console.config import SCOPES, ConsoleConfig
from console.sessions import MAX_PENDING_LOGINS, PENDING_SECONDS, ConsoleSession, Tokens, pkce_pair

AUTHORIZE_PATH = "/oauth/authorize"
TOKEN_PATH = "/oauth/token"  # noqa: S105 (a path)
REVOKE_PATH = "/oauth/revoke"
END_SESSION_PATH = "/logout"
# Refresh this long before the access token expires, so a page never sends a dying token.
REFRESH_MARGIN_SECONDS = 60


class LoginFailed(Exception):
    pass


@dataclass(frozen=True)
class Provider:
    config: ConsoleConfig
    http: httpx.AsyncClient

    def _auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self.config.client_id, str(self.config.client_secret))

    def start(self, session: ConsoleSession, return_to: str) -> str:
        """Remember a login on its way and return the authorization request's URL."""
        now = time.time()
        session.pending = {
            state: value
            for state, value in session.pending.items()
            if now - float(value["started"]) < PENDING_SECONDS
        }
        while len(session.pending) >= MAX_PENDING_LOGINS:
            session.pending.pop(next(iter(session.pending)))
        verifier, challenge = pkce_pair()
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        session.pending[state] = {
            "nonce": nonce,
            "verifier": verifier,
            "return_to": return_to,
            "started": now,
        }
        session.dirty = True
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": self.config.redirect_uri,
                "scope": SCOPES,
                "state": state,
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{AUTHORIZE_PATH}?{query}"

    async def finish(self, session: ConsoleSession, params: dict[str, str]) -> tuple[Tokens, str]:
        """The callback: check state and iss (RFC 9207), exchange the code; (tokens, return_to)."""
        pending = session.pending.pop(params.get("state", ""), None)
        session.dirty = True
        if pending is None:
            raise LoginFailed("unknown or expired state")
        if params.get("iss") != self.config.issuer:
            raise LoginFailed("wrong issuer")
        if "code" not in params:
            raise LoginFailed(params.get("error", "no code"))
        response = await self.http.post(
            TOKEN_PATH,
            data={
                "grant_type": "authorization_code",
                "code": params["code"],
                "redirect_uri": self.config.redirect_uri,
                "code_verifier": pending["verifier"],
            },
            auth=self._auth(),
        )
        if response.status_code != 200:
            raise LoginFailed(f"token endpoint answered {response.status_code}")
        body = response.json()
        claims = _claims(body.get("id_token"))
        if (
            claims.get("iss") != self.config.issuer
            or claims.get("aud") not in (self.config.client_id, [self.config.client_id])
            or claims.get("nonce") != pending["nonce"]
            or float(claims.get("exp", 0)) < time.time()
        ):
            raise LoginFailed("ID token claims do not match")
        return _tokens(body, str(claims["sub"]), None), str(pending["return_to"])

    async def refresh(self, tokens: Tokens) -> Tokens | None:
        """A fresh pair (the refresh token rotates), or None when the grant is gone."""
        if tokens.refresh_token is None:
            return None
        response = await self.http.post(
            TOKEN_PATH,
            data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token},
            auth=self._auth(),
        )
        if response.status_code != 200:
            return None
        return _tokens(response.json(), tokens.subject, tokens)

    async def log_out(self, tokens: Tokens) -> None:
        """Revoke the refresh token (its whole family) and end the provider's browser session
        that the ID token's ``sid`` names; best effort, both are idempotent."""
        if tokens.refresh_token:
            await self.http.post(
                REVOKE_PATH,
                data={"token": tokens.refresh_token, "token_type_hint": "refresh_token"},
                auth=self._auth(),
            )
        if tokens.id_token:
            await self.http.post(
                END_SESSION_PATH,
                data={"id_token_hint": tokens.id_token, "client_id": self.config.client_id},
            )


def _tokens(body: dict[str, Any], subject: str, previous: Tokens | None) -> Tokens:
    return Tokens(
        access_token=str(body["access_token"]),
        refresh_token=body.get("refresh_token") or (previous.refresh_token if previous else None),
        id_token=body.get("id_token") or (previous.id_token if previous else None),
        expires_at=time.time() + float(body.get("expires_in", 300)),
        subject=subject,
    )


def _claims(jwt: object) -> dict[str, Any]:
    if not isinstance(jwt, str) or jwt.count(".") != 2:
        raise LoginFailed("no ID token")
    segment = jwt.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except ValueError as exc:
        raise LoginFailed("malformed ID token") from exc
    if not isinstance(claims, dict):
        raise LoginFailed("malformed ID token")
    return claims
