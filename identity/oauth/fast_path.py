"""What the token endpoint's fast paths share (refresh.py, code_exchange.py): the one form shape
each takes, and the client's authentication exactly as Authlib would accept it.

A fast path answers only what is decided the same way on Authlib's path; for anything else these
answer None and the request goes to Authlib's path, which answers it (with its error, if any).
"""

from __future__ import annotations

from starlette.requests import Request

from identity.oauth import models
from identity.oauth.requests import UnreadableBasic, basic_credentials
from identity.provider import IdentityProvider


def plain_form(
    form: list[tuple[str, str]], grant_type: str, allowed: frozenset[str]
) -> dict[str, str] | None:
    """The form's fields when it is for ``grant_type`` and names only ``allowed`` fields, each
    once; None otherwise."""
    fields = dict(form)
    if (
        fields.get("grant_type") != grant_type
        or len(fields) != len(form)
        or not allowed.issuperset(fields)
    ):
        return None
    return fields


async def authenticated_client(
    provider: IdentityProvider, request: Request, fields: dict[str, str], grant_type: str
) -> models.Client | None:
    """The client, when it authenticates by the method it is registered for
    (``client_secret_basic``, ``client_secret_post``, or ``none`` for a public client) and may use
    ``grant_type``."""
    header = request.headers.get("authorization")
    secret: str | None
    if header is not None:
        try:
            credentials = basic_credentials(header)
        except UnreadableBasic:
            return None
        if credentials is None or "client_id" in fields or "client_secret" in fields:
            return None
        client_id, secret = credentials
        if not client_id or not secret:
            return None
        method = "client_secret_basic"
    else:
        client_id, secret = fields.get("client_id", ""), fields.get("client_secret")
        method = "none" if secret is None else "client_secret_post"
    client = await provider.clients.get(client_id)
    if client is None or not client.check_endpoint_auth_method(method, "token"):
        return None
    if secret is not None and not client.check_client_secret(secret):
        return None
    return client if client.check_grant_type(grant_type) else None
