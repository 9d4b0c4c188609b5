"""Home-realm discovery at /login and GET /sso/callback (domain/sso/federation.py).

An address whose domain an organization has verified, with a connection, is sent to that
organization's OpenID provider — always when the connection is enforced, else when no password
was typed. The callback completes an ordinary portal browser session (``amr`` ``fed`` followed by
the provider's own values), so the authorization request that sent the person to /login
(``return_to``) continues unchanged — unless an organization's sign-in requirement is not met by
how the provider signed the person in (domain/sso/federation.py ``next_step``): then the
callback starts the portal's own second step, exactly as a right password does
(identity/pages/two_factor.py), and that step completes the session.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.login import repository as login_repository
from domain.login.errors import LoginResult
from domain.sso import federation
from domain.sso.federation import FederationFailed, Pending, Route
from identity import sso_client
from identity.oauth.authorize import is_authorize_return
from identity.pages.forms import redirect_with_flash
from identity.pages.two_factor import second_factor_path, start_second_factor
from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession
from kit.crypto import constant_time_equal

PENDING_KEY = "sso"
CONSOLE = "/"
EXPIRED = (
    "This sign-in expired or was started in another browser. Please sign in again from the start."
)


async def federated_start(
    provider: IdentityProvider,
    request: Request,
    session: BrowserSession,
    route: Route,
    *,
    email: str,
    password: str,
    return_to: str | None,
) -> Response | None:
    """The redirect to the organization's provider that ``route`` (``federation.route`` of
    ``email``) names, or None: the password login goes on."""
    if password and not route.enforced:
        return None
    async with provider.services.db.read_session() as db:
        connection = await federation.load_connection(db, str(route.connection_id))
    if connection is None:  # removed since the route was read
        return None
    if password:
        # Enforced: only the organization's Super Admin's password is still checked (break
        # glass, audited), so that a broken provider cannot lock the organization out.
        async with provider.services.db.unit_of_work() as db:
            if await federation.break_glass(db, connection, email, provider.meta(request)):
                return None
    back = {"return_to": return_to or ""}
    try:
        url, pending = await sso_client.begin(provider.services, connection, login_hint=email)
    except FederationFailed as exc:
        return await redirect_with_flash(
            provider, session, "login", {"email": email, "error": str(exc)}, back
        )
    session.data[PENDING_KEY] = {**pending.as_data(), "return_to": return_to or ""}
    await provider.sessions.save_data(session)
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def _failed(provider: IdentityProvider, text: str, status_code: int = 400) -> Response:
    return provider.pages.message(
        "Sign-in not completed",
        text,
        status_code=status_code,
        link=("Sign in", PAGE_PATHS["login"]),
    )


async def sso_callback(request: Request) -> Response:
    provider = identity_of(request)
    session = await provider.sessions.load(request)
    raw = session.data.get(PENDING_KEY) if session is not None else None
    pending = Pending.from_data(raw)
    if session is None or pending is None or not isinstance(raw, dict):
        return _failed(provider, EXPIRED)
    # Single use: whatever happens next, this state is spent.
    session.data.pop(PENDING_KEY, None)
    await provider.sessions.save_data(session)
    state = request.query_params.get("state", "")
    if not constant_time_equal(state, pending.state):
        return _failed(provider, EXPIRED)
    if request.query_params.get("error"):
        # The provider's own words are not shown (they may be anything): only that it said no.
        return _failed(
            provider, "Your organization's sign-in service did not complete the sign-in.", 200
        )
    code = request.query_params.get("code")
    if not code:
        return _failed(provider, EXPIRED)
    async with provider.services.db.read_session() as db:
        connection = await federation.load_connection(db, pending.connection_id)
    if connection is None:
        return _failed(provider, "Single sign-on is no longer set up for your organization.")
    meta = provider.meta(request)
    return_to = str(raw.get("return_to") or "")
    waiting = return_to if is_authorize_return(return_to) else None
    try:
        person = await sso_client.finish(provider.services, connection, pending, code=code)
        amr = federation.session_amr(person.amr)

        def complete(db_session: Session) -> tuple[str, LoginResult | None]:
            user_id, stamp = federation.provision(db_session, connection, person, meta)
            access = login_repository.may_log_in(db_session, user_id)
            candidate = login_repository.find_candidate_by_id(db_session, user_id)
            if not access.allowed or candidate is None:
                raise FederationFailed("This account cannot sign in at the moment.")
            step = federation.next_step(person.amr, candidate, access)
            if step is not None:
                # The organization's requirement is not met yet: the portal's own second step,
                # which completes the session with ``fed`` … and its factor.
                _, half = start_second_factor(
                    provider, db_session, session, user_id, stamp, step, waiting, meta, amr
                )
                return half, step
            _, token = provider.sessions.log_in(
                db_session, session, user_id=user_id, security_stamp=stamp, amr=amr, meta=meta
            )
            return token, None

        token, step = await provider.services.sync.write(complete)
    except FederationFailed as exc:
        return _failed(provider, str(exc))
    target = waiting or CONSOLE
    if step is not None:
        target = second_factor_path(step)
    response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
    provider.sessions.set_cookie(response, token)
    return response
