"""Where the provider's endpoints live (all advertised by discovery)."""

from __future__ import annotations

DISCOVERY = "/.well-known/openid-configuration"
AUTHORIZE = "/oauth/authorize"
TOKEN = "/oauth/token"  # noqa: S105 (a path)
USERINFO = "/oauth/userinfo"
JWKS = "/oauth/jwks"
REVOKE = "/oauth/revoke"
# RP-initiated logout shares the hosted pages' logout (one way to end a session).
END_SESSION = "/logout"
