"""GET/POST /login: the hosted login form (PRODUCT.md §3)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.context import RequestMeta
from domain.login.errors import LoginResult
from domain.sso import federation
from domain.sso.federation import Route
from identity.oauth import authorize
from identity.oauth.authorize import Pending, is_authorize_return
from identity.pages.form_page import answer
from identity.pages.forms import pop_flash, read_submission_with, redirect_with_flash
from identity.pages.sso import federated_start
from identity.pages.two_factor import PASSKEY_HEADERS, second_factor_path, start_second_factor
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession

WRONG_CREDENTIALS = "The email or password is incorrect."
NOT_ALLOWED = (
    "This account cannot sign in at the moment. Please contact your organization's administrator."
)
MISSING = "Enter your email and password."
MAX_EMAIL_LENGTH = 320
# Where a person lands after login when no application is waiting.
CONSOLE = "/"
# What differs from one login form to the next (Pages.render).
LOGIN_VARYING = ("csrf_token", "return_to", "email", "error", "passkey_error", "notice")
SIGNED_IN_OR_HALFWAY = {
    LoginResult.OK,
    LoginResult.TOTP_REQUIRED,
    LoginResult.TOTP_ENROLLMENT_REQUIRED,
    LoginResult.PASSKEY_REQUIRED,
    LoginResult.PASSKEY_ENROLLMENT_REQUIRED,
}


async def login_page(request: Request) -> Response:
    return_to = request.query_params.get("return_to")
    if not is_authorize_return(return_to):
        return_to = None

    async def build(provider: IdentityProvider, session: BrowserSession) -> Response:
        if session.authenticated and return_to is None:
            # Signed in with no application waiting: the web console (PRODUCT.md §5).
            return RedirectResponse(CONSOLE, status_code=303, headers={"Cache-Control": "no-store"})
        flash = await pop_flash(provider, session)
        return provider.pages.render(
            "login.html",
            title="Sign in",
            csrf_token=session.csrf_token,
            return_to=return_to,
            email=flash.get("email", ""),
            error=flash.get("error"),
            passkey_error=flash.get("passkey_error"),
            notice=flash.get("notice"),
            # /assets/passkeys.js: "Sign in with a passkey" (identity/pages/passkeys.py).
            headers=PASSKEY_HEADERS,
            varying=LOGIN_VARYING,
        )

    return await answer(request, build)


def _email(fields: dict[str, str]) -> str:
    return fields.get("email", "").strip()[:MAX_EMAIL_LENGTH]


def _home_realm(db: Session, fields: dict[str, str]) -> Route | None:
    email = _email(fields)
    return federation.route_sync(db, email) if email else None


async def login_submit(request: Request) -> Response:
    provider = identity_of(request)
    # Home-realm discovery is read with the form's session (one trip to the database).
    read = await read_submission_with(provider, request, _home_realm)
    if isinstance(read, Response):
        return read
    submitted, route = read
    fields, session = submitted.fields, submitted.session
    email = _email(fields)
    password = fields.get("password", "")
    return_to = fields.get("return_to")
    if not is_authorize_return(return_to):
        return_to = None
    back = {"return_to": return_to or ""}

    if route is not None:
        # Home-realm discovery: an address of a verified domain goes to its organization's
        # provider (identity/pages/sso.py).
        federated = await federated_start(
            provider,
            request,
            session,
            route,
            email=email,
            password=password,
            return_to=return_to,
        )
        if federated is not None:
            return federated
    if not email or not password:
        return await redirect_with_flash(
            provider, session, "login", {"email": email, "error": MISSING}, back
        )
    meta = provider.meta(request)
    # The application waiting for this login: its request is answered in the login's own
    # transaction (authorize.returned_to).
    pending = await authorize.returned_to(provider, request, return_to) if return_to else None
    outcome = await provider.login.authenticate(
        email,
        password,
        meta,
        on_success=lambda db, user_id, stamp: _signed_in(
            provider, db, session, user_id, stamp, meta, pending
        ),
        # With TOTP (or an organization requiring it) the password is half the login: the
        # second step's page (identity/pages/two_factor.py) finishes it.
        on_second_factor=lambda db, user_id, stamp, result: _halfway(
            start_second_factor(provider, db, session, user_id, stamp, result, return_to, meta)
        ),
    )
    if outcome.result not in SIGNED_IN_OR_HALFWAY:
        message = NOT_ALLOWED if outcome.result is LoginResult.NOT_ALLOWED else WRONG_CREDENTIALS
        return await redirect_with_flash(
            provider, session, "login", {"email": email, "error": message}, back
        )
    assert outcome.started is not None
    token, response = outcome.started
    if response is None:
        target = return_to or CONSOLE
        if outcome.result is not LoginResult.OK:
            target = second_factor_path(outcome.result)
        response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
    provider.sessions.set_cookie(response, token)
    return response


def _signed_in(
    provider: IdentityProvider,
    db: Session,
    previous: BrowserSession,
    user_id: uuid.UUID,
    security_stamp: int,
    meta: RequestMeta,
    pending: Pending | None,
) -> tuple[str, Response | None]:
    """Inside the login's transaction: the new session's token and, when an application is
    waiting, the authorization endpoint's answer for the person now signed in — the redirect the
    browser sent back there would get (the code, the consent page, an error for the client).
    A page instead (a ``return_to`` no client could have sent) is left to that endpoint: the
    browser goes there, as a form's answer is a redirect."""
    browser, token = provider.sessions.log_in(
        db, previous, user_id=user_id, security_stamp=security_stamp, amr=["pwd"], meta=meta
    )
    if pending is None:
        return token, None
    answered = authorize.answer(provider, pending, db, browser)
    return token, answered if answered.status_code in {302, 303} else None


def _halfway(started: tuple[BrowserSession, str]) -> tuple[str, Response | None]:
    """The half-finished login's token; its second step's page comes next, whatever waits."""
    return started[1], None
