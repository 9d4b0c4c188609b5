"""The refresh grant's common case, without Authlib's grant machinery or the ORM.

A relying party refreshes far more often than anything else it does at the token endpoint, and
Authlib's path (grants.RefreshGrant through AuthorizationServer) spends several times the CPU of
the three statements and the one signature a refresh needs (bench/bench_refresh.py). This path
answers the common case, and only it; Authlib's path stays the reference and answers the rest.

It takes a request only when that is decided before anything is written: a form of exactly
``grant_type=refresh_token``, ``refresh_token`` and the client's credentials, each once (no
``scope``: narrowing goes to Authlib), from a client that authenticates by the method it is
registered for (``client_secret_basic``, ``client_secret_post``, or ``none`` for a public client).
Then, in one transaction (db/sync.py ``write_prepared``), the same statements as Authlib's path
(identity/oauth/store.py):

* the rotating ``UPDATE … RETURNING``. No row — an unknown token, another client's, one rotated
  out (reuse, or the grace reissue) or revoked — wrote nothing: Authlib's path runs instead and
  decides (store.consume_refresh_token);
* an expired family, or a user or grant that may no longer be used (the user check of
  store.load_token_user, with the family then revoked): the same ``invalid_grant`` as there;
* otherwise the child token of the family, and after the commit the signed access token — the
  same body and headers as Authlib's path.

``tests/identity/test_refresh_fast_path.py`` runs both paths on the same cases and compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from authlib.oauth2.rfc6749.errors import InvalidGrantError
from authlib.oauth2.rfc6749.grants.base import BaseGrant
from starlette.requests import Request
from starlette.responses import Response

from db.sync import Run, SyncRunner
from identity.access_tokens import ACCESS_TOKEN_TYP
from identity.oauth import models, store
from identity.oauth.fast_path import authenticated_client, plain_form
from identity.oauth.grants import MAX_TOKEN_LENGTH
from identity.provider import IdentityProvider
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex

_GRANT_TYPE = "refresh_token"
_FIELDS = frozenset({"grant_type", "refresh_token", "client_id", "client_secret"})


async def refresh(
    provider: IdentityProvider, request: Request, form: list[tuple[str, str]]
) -> Response | None:
    """The answer to a common-case refresh, or None: Authlib's path answers (module docstring)."""
    fields = plain_form(form, _GRANT_TYPE, _FIELDS)
    if fields is None:
        return None
    token = fields.get("refresh_token")
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    client = await authenticated_client(provider, request, fields, _GRANT_TYPE)
    if client is None:
        return None
    server = provider.server
    sync = provider.services.sync
    now = utcnow()
    outcome = await sync.write_prepared(
        lambda run: _rotate(sync, run, sha256_hex(token), client, now)
    )
    if outcome is None:
        return None
    if isinstance(outcome, InvalidGrantError):
        response: Response = server.handle_error_response(None, outcome)
        return response
    access = server.access_claims(
        client, outcome.user, outcome.scope, outcome.record.family_id, outcome.record.auth_time
    )
    signed = await provider.services.keys.sign(access, typ=ACCESS_TOKEN_TYP)
    body = server.token_body(signed, outcome.scope, outcome.refresh_token)
    return server.render(200, body, BaseGrant.TOKEN_RESPONSE_HEADER)


@dataclass(frozen=True, slots=True)
class _Issued:
    record: models.RefreshTokenRecord
    user: store.TokenUser
    scope: str
    refresh_token: str | None


def _rotate(
    sync: SyncRunner, run: Run, token_hash: str, client: models.Client, now: datetime
) -> _Issued | InvalidGrantError | None:
    """Inside the transaction: Authlib's path's statements, in its order."""
    params = {"b_token_hash": token_hash, "b_client_id": client.client_id, "b_now": now}
    together = sync.dialect.name == "postgresql"
    rows = run(sync.prepared(store.ROTATE_WITH_TOKEN_USER if together else store.ROTATE), params)
    if not rows:
        return None
    record = store.rotated_record(rows[0][:8], client.client_id)
    if record.expires_at <= now:
        return InvalidGrantError()
    if together:
        users = [rows[0][8:]] if rows[0][8] is not None else []
    else:
        users = run(
            sync.prepared(store.TOKEN_USER_OF_LIVE_GRANT),
            {"b_user_id": record.user_id, "b_grant_id": record.family_id, "b_now": now},
        )
    if not users:
        params = {"b_family_id": record.family_id, "b_now": now}
        run(sync.prepared(store.REVOKE_FAMILY), params)
        run(sync.prepared(store.REVOKE_GRANT), params)
        return InvalidGrantError("The refresh token is no longer valid.")
    user = store.TokenUser(*users[0])
    scope = client.issued_scope(record.scope)
    refresh_token = new_token() if "offline_access" in scope.split() else None
    if refresh_token is not None:
        row = store.refresh_token_row(
            refresh_token,
            family_id=record.family_id,
            parent_id=record.id,
            code_id=None,
            client_id=client.client_id,
            user_id=user.id,
            scope=scope,
            auth_time=record.auth_time,
            amr=record.amr,
            browser_session_id=record.browser_session_id,
            expires_at=record.expires_at,
            now=now,
        )
        run(sync.prepared(store.INSERT_REFRESH_TOKEN, columns=store.REFRESH_TOKEN_COLUMNS), row)
    return _Issued(record, user, scope, refresh_token)
