"""Passkeys on the hosted login (domain/passkeys/login.py).

* ``POST /login/passkey/options`` → the options of a sign-in (JSON; the form's CSRF token in the
  body), ``POST /login/passkey`` with the browser's answer → signed in (``amr`` ``hwk``/``swk``
  ``user``), the same redirect as a password login.
* After a right password, the second step (/login/totp, identity/pages/two_factor.py) offers
  the account's passkeys: ``POST /login/passkey/verify/options`` and ``POST /login/passkey/verify``.
  When an organization requires phishing-resistant sign-in, only a passkey finishes the login.
* A member whom an organization requires to use a passkey and who has none adds one here, before
  the login completes: ``GET /login/passkey/setup``, ``…/setup/options``, ``POST …/setup``.

The ceremonies need JavaScript (/assets/passkeys.js); without it the button posts an empty
answer and the page says so. Who is halfway through a login is kept server-side, as for TOTP.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.context import RequestMeta
from domain.passkeys.login import Complete, PasskeyOutcome, PasskeyResult
from identity.oauth.authorize import is_authorize_return
from identity.pages.form_page import answer
from identity.pages.forms import Submission, pop_flash, read_submission, redirect_with_flash
from identity.pages.two_factor import (
    EXPIRED,
    NOT_ALLOWED,
    PASSKEY_HEADERS,
    completed_amr,
    finish,
    pending_of,
    restart,
)
from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession

CONSOLE = "/"
NO_ANSWER = (
    "Your browser sent no passkey. Passkeys need JavaScript and a browser or device that "
    "supports them; sign in with your email and password instead."
)
REFUSED = "That passkey could not sign you in. Try again, or sign in with your email and password."
REFUSED_STEP = "That passkey was not accepted. Use a passkey of this account."
NOT_ADDED = "The passkey was not added. Try again."
MAX_NAME = 100
OPTIONS_LIMIT = "60/minute"


def _json(body: str | None) -> Response:
    if body is None:
        return Response('{"error":"expired"}', status_code=409, media_type="application/json")
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


# --- sign-in on its own ---------------------------------------------------------------------------


async def sign_in_options(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    # Each answer stores a challenge: a bounded number per client address (a login page asks
    # once on load for conditional mediation and once per press).
    address = provider.meta(request).client_address or "unknown"
    if not await provider.services.limiter.hit(OPTIONS_LIMIT, "passkey-options", address):
        return Response('{"error":"rate_limited"}', status_code=429, media_type="application/json")
    return _json(await provider.passkeys.sign_in_options())


async def sign_in(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    fields, session = submitted.fields, submitted.session
    return_to = fields.get("return_to")
    if not is_authorize_return(return_to):
        return_to = None
    back = {"return_to": return_to or ""}
    credential = fields.get("credential", "")
    if not credential:
        return await redirect_with_flash(
            provider, session, "login", {"passkey_error": NO_ANSWER}, back
        )
    meta = provider.meta(request)
    outcome = await provider.passkeys.sign_in(
        credential,
        meta,
        on_success=lambda db, user_id, stamp, amr: provider.sessions.log_in(
            db, session, user_id=user_id, security_stamp=stamp, amr=amr, meta=meta
        ),
    )
    if outcome.result is not PasskeyResult.OK or outcome.started is None:
        message = NOT_ALLOWED if outcome.result is PasskeyResult.NOT_ALLOWED else REFUSED
        # Beside the passkey button, not the password field.
        return await redirect_with_flash(
            provider, session, "login", {"passkey_error": message}, back
        )
    response = RedirectResponse(
        return_to or CONSOLE, status_code=303, headers={"Cache-Control": "no-store"}
    )
    provider.sessions.set_cookie(response, outcome.started[1])
    return response


# --- the second step after a password -------------------------------------------------------------


async def verify_options(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    found = pending_of(submitted.session)
    if found is None:
        return _json(None)
    return _json(await provider.passkeys.second_factor_options(found[0].user_id))


async def verify(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    session = submitted.session
    found = pending_of(session)
    if found is None:
        return await restart(provider, session, EXPIRED)
    pending, raw = found
    credential = submitted.fields.get("credential", "")
    if not credential:
        return await redirect_with_flash(
            provider, session, "login_totp", {"passkey_error": NO_ANSWER}
        )
    meta = provider.meta(request)
    outcome = await provider.passkeys.second_factor(
        pending.user_id,
        pending.security_stamp,
        credential,
        meta,
        on_success=_log_in(provider, session, raw, meta),
    )
    return await _answer(
        provider, session, raw, outcome, ("login_totp", {"passkey_error": REFUSED_STEP})
    )


# --- a first passkey, when an organization requires one ------------------------------------------


async def setup_page(request: Request) -> Response:
    async def build(provider: IdentityProvider, session: BrowserSession) -> Response:
        found = pending_of(session)
        if found is None:
            return await restart(provider, session, EXPIRED)
        if not found[1].get("passkey_setup"):
            return RedirectResponse(PAGE_PATHS["login_totp"], status_code=303)
        flash = await pop_flash(provider, session)
        return provider.pages.render(
            "passkey_setup.html",
            title="Add a passkey",
            csrf_token=session.csrf_token,
            error=flash.get("error"),
            headers=PASSKEY_HEADERS,
        )

    return await answer(request, build)


async def setup_options(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    found = pending_of(submitted.session)
    if found is None or not found[1].get("passkey_setup"):
        return _json(None)
    return _json(await provider.passkeys.enrollment_options(found[0].user_id))


async def setup_submit(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    session = submitted.session
    found = pending_of(session)
    if found is None or not found[1].get("passkey_setup"):
        return await restart(provider, session, EXPIRED)
    pending, raw = found
    credential = submitted.fields.get("credential", "")
    if not credential:
        return await redirect_with_flash(
            provider, session, "login_passkey_setup", {"error": NO_ANSWER}
        )
    meta = provider.meta(request)
    outcome = await provider.passkeys.enroll(
        pending.user_id,
        pending.security_stamp,
        credential,
        submitted.fields.get("name", "")[:MAX_NAME],
        meta,
        on_success=_log_in(provider, session, raw, meta),
    )
    return await _answer(
        provider, session, raw, outcome, ("login_passkey_setup", {"error": NOT_ADDED})
    )


def _log_in(
    provider: IdentityProvider, session: BrowserSession, raw: dict[str, Any], meta: RequestMeta
) -> Complete[tuple[BrowserSession, str]]:
    """What a passkey step does once the passkey is accepted: the browser session signs in, its
    ``amr`` the first factor's (password or provider) and the passkey's."""

    def log_in(
        db: Session, user_id: uuid.UUID, stamp: int, amr: list[str]
    ) -> tuple[BrowserSession, str]:
        return provider.sessions.log_in(
            db,
            session,
            user_id=user_id,
            security_stamp=stamp,
            amr=completed_amr(raw, amr),
            meta=meta,
        )

    return log_in


async def _answer(
    provider: IdentityProvider,
    session: BrowserSession,
    raw: dict[str, Any],
    outcome: PasskeyOutcome[tuple[BrowserSession, str]],
    refused: tuple[str, dict[str, str]],
) -> Response:
    """A passkey step's answer: on to the client, back to the page with ``refused``'s message, or
    the sign-in from the start."""
    if outcome.result is PasskeyResult.OK and outcome.started is not None:
        return finish(provider, raw, outcome.started[1])
    if outcome.result is PasskeyResult.INVALID:
        page, flash = refused
        return await redirect_with_flash(provider, session, page, flash)
    message = NOT_ALLOWED if outcome.result is PasskeyResult.NOT_ALLOWED else EXPIRED
    return await restart(provider, session, message)
