"""The authorization-code exchange's common case, without Authlib's grant machinery or the ORM.

Every login a relying party completes ends here (bench/bench_login.py), and Authlib's path
(grants.CodeGrant through AuthorizationServer) spent more CPU than the statements a code exchange
needs, with both signatures inside the database's write transaction. This path answers the common
case, and only it; Authlib's path stays the reference and answers the rest.

It takes a request of exactly ``grant_type=authorization_code``, ``code``, ``redirect_uri``,
``code_verifier`` and the client's credentials, each once (fast_path.py), from a client that
authenticates by the method it is registered for and may use the grant. Then, in one transaction
(db/sync.py ``write_prepared``), the statements of Authlib's path (identity/oauth/store.py):

* the consuming ``UPDATE … RETURNING`` of the code. No row — an unknown code, another client's, a
  replay — wrote nothing: Authlib's path runs instead and decides (a replay revokes the grant);
* a code that expired, a ``redirect_uri`` other than the authorization request's, a verifier that
  does not match the PKCE challenge, a user who may no longer sign in: the transaction is rolled
  back and Authlib's path runs on the untouched code, answering exactly as it always has (and
  consuming the code, as it does);
* otherwise the grant and, with ``offline_access``, the first refresh token of its family.

After the commit, the access token and the ID token are signed, with the same claims and headers
as on Authlib's path (``server.id_token_claims`` serves both). ``tests/identity/
test_code_exchange_fast_path.py`` runs both paths on the same cases and compares.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from authlib.oauth2.rfc6749.grants.base import BaseGrant
from authlib.oauth2.rfc7636.challenge import CODE_VERIFIER_PATTERN
from starlette.requests import Request
from starlette.responses import Response

from db.sync import Run, SyncRunner
from identity.access_tokens import ACCESS_TOKEN_TYP
from identity.oauth import models, store
from identity.oauth.fast_path import authenticated_client, plain_form
from identity.oauth.grants import MAX_TOKEN_LENGTH, s256_matches
from identity.provider import IdentityProvider
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex
from kit.ids import uuid7

_GRANT_TYPE = "authorization_code"
_FIELDS = frozenset(
    {"grant_type", "code", "redirect_uri", "code_verifier", "client_id", "client_secret"}
)


class _Decline(Exception):
    """Roll the transaction back: Authlib's path answers on the untouched code."""


@dataclass(frozen=True, slots=True)
class _Issued:
    code: models.AuthorizationCode
    user: store.TokenUser
    scope: str
    grant_id: uuid.UUID
    refresh_token: str | None


async def exchange_code(
    provider: IdentityProvider, request: Request, form: list[tuple[str, str]]
) -> Response | None:
    """The answer to a common-case code exchange, or None: Authlib's path answers (module
    docstring)."""
    fields = plain_form(form, _GRANT_TYPE, _FIELDS)
    if fields is None:
        return None
    code, verifier = fields.get("code"), fields.get("code_verifier")
    if not code or len(code) > MAX_TOKEN_LENGTH or verifier is None:
        return None
    if not CODE_VERIFIER_PATTERN.match(verifier):
        return None
    client = await authenticated_client(provider, request, fields, _GRANT_TYPE)
    if client is None:
        return None
    services = provider.services
    sync = services.sync
    redirect_uri = fields.get("redirect_uri")
    family_ttl = timedelta(seconds=services.settings.refresh_token_ttl_seconds)
    now = utcnow()
    try:
        issued = await sync.write_prepared(
            lambda run: _redeem(
                sync, run, sha256_hex(code), client, redirect_uri, verifier, family_ttl, now
            )
        )
    except _Decline:
        return None
    if issued is None:
        return None
    server = provider.server
    access = await services.keys.sign(
        server.access_claims(
            client, issued.user, issued.scope, issued.grant_id, issued.code.auth_time
        ),
        typ=ACCESS_TOKEN_TYP,
    )
    body = server.token_body(access, issued.scope, issued.refresh_token)
    if "openid" in issued.scope.split():
        claims = server.id_token_claims(issued.code, access, issued.user, issued.scope)
        body["id_token"] = await services.keys.sign(claims, typ="JWT")
    return server.render(200, body, BaseGrant.TOKEN_RESPONSE_HEADER)


def _redeem(
    sync: SyncRunner,
    run: Run,
    code_hash: str,
    client: models.Client,
    redirect_uri: str | None,
    verifier: str,
    family_ttl: timedelta,
    now: datetime,
) -> _Issued | None:
    """Inside the transaction: Authlib's path's statements, in its order."""
    params = {"b_code_hash": code_hash, "b_client_id": client.client_id, "b_now": now}
    rows = run(sync.prepared(store.CONSUME_CODE), params)
    if not rows:
        return None
    code, expires_at = store.consumed_code(rows[0], client.client_id)
    if (
        expires_at <= now
        or (code.redirect_uri and redirect_uri != code.redirect_uri)
        or code.code_challenge_method != "S256"
        or not s256_matches(verifier, code.code_challenge)
    ):
        raise _Decline
    users = run(sync.prepared(store.TOKEN_USER), {"b_user_id": code.user_id})
    if not users:
        raise _Decline
    user = store.TokenUser(*users[0])
    scope = client.issued_scope(code.scope)
    grant_id = uuid7()
    expires = now + family_ttl
    grant = store.grant_row(
        grant_id=grant_id,
        client_id=client.client_id,
        user=user,
        scope=scope,
        code=code,
        expires_at=expires,
        now=now,
    )
    run(sync.prepared(store.INSERT_GRANT, columns=store.GRANT_COLUMNS), grant)
    # As CodeGrant: a refresh token when the client may refresh and the code carries
    # offline_access.
    refresh_token = None
    if client.check_grant_type("refresh_token") and "offline_access" in code.scope.split():
        refresh_token = new_token()
        row = store.refresh_token_row(
            refresh_token,
            family_id=grant_id,
            parent_id=None,
            code_id=code.id,
            client_id=client.client_id,
            user_id=user.id,
            scope=scope,
            auth_time=code.auth_time,
            amr=code.amr,
            browser_session_id=code.browser_session_id,
            expires_at=expires,
            now=now,
        )
        run(sync.prepared(store.INSERT_REFRESH_TOKEN, columns=store.REFRESH_TOKEN_COLUMNS), row)
    return _Issued(code, user, scope, grant_id, refresh_token)
