"""GET/POST /login/totp and /login/totp/setup: the second step of a hosted login.

After a right password (identity/pages/login.py) an account with TOTP gets /login/totp (a code
from the app, or a recovery code); an account that an organization obliges to use two-factor
login and that has none gets /login/totp/setup (the secret as text, its ``otpauth://`` URI and a
QR code drawn on the server, then a code to confirm) and its recovery codes once.

Who is halfway through is kept server-side, in the browser session's data, never in the page: the
password step replaced the browser's session by a new anonymous one that carries it (see
``BrowserSessions.start_pending``) and lives ``PORTAL_TWO_FACTOR_LOGIN_SECONDS``. A complete
login replaces it again (a new session id, ``amr`` ``pwd otp``). ``PORTAL_TWO_FACTOR_LOGIN_MAX_TRIES``
wrong codes on one half-finished login send the person back to the password.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.context import RequestMeta
from domain.login import repository as login_repository
from domain.login.errors import LoginResult
from domain.two_factor.login import Pending, StepResult
from domain.two_factor.service import Enrollment
from identity.pages.form_page import answer
from identity.pages.forms import (
    Submission,
    pop_flash,
    read_submission,
    redirect_with_flash,
)
from identity.pages.security import PASSKEY_CONTENT_SECURITY_POLICY
from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession

PENDING_KEY = "second_factor"
MAX_CODE_LENGTH = 64
INVALID_CODE = "That code is not valid. Enter the current code from your authenticator app."
INVALID_ANY_CODE = (
    "That code is not valid. Enter the current 6-digit code from your authenticator app, or an "
    "unused recovery code."
)
MISSING_CODE = "Enter the 6-digit code from your authenticator app."
EXPIRED = "Your sign-in took too long or was interrupted. Enter your email and password again."
TOO_MANY = "Too many wrong codes. Enter your email and password again."
NOT_ALLOWED = (
    "This account cannot sign in at the moment. Please contact your organization's administrator."
)


INVALID_RECOVERY_CODE = "That recovery code is not valid (or was used already)."
PASSKEY_HEADERS = {"Content-Security-Policy": PASSKEY_CONTENT_SECURITY_POLICY}


def second_factor_path(result: LoginResult) -> str:
    if result is LoginResult.TOTP_ENROLLMENT_REQUIRED:
        return PAGE_PATHS["login_totp_setup"]
    if result is LoginResult.PASSKEY_ENROLLMENT_REQUIRED:
        return PAGE_PATHS["login_passkey_setup"]
    return PAGE_PATHS["login_totp"]


def start_second_factor(
    provider: IdentityProvider,
    db: Session,
    previous: BrowserSession,
    user_id: uuid.UUID,
    security_stamp: int,
    result: LoginResult,
    return_to: str | None,
    meta: RequestMeta,
    first_factor: list[str] | None = None,
) -> tuple[BrowserSession, str]:
    """In the password step's transaction: the half-finished login's session. What the second
    step may take is decided here, once: a TOTP code (and recovery codes) when TOTP is on, a
    passkey when the account has one — only a passkey when an organization requires one.
    ``first_factor``: the ``amr`` of a first step that was not a password (single sign-on:
    ``fed`` and the provider's values), which the complete login's ``amr`` starts with."""
    candidate = login_repository.find_candidate_by_id(db, user_id)
    passkey_only = result is LoginResult.PASSKEY_REQUIRED
    pending = {
        "user": str(user_id),
        "stamp": security_stamp,
        "setup": result is LoginResult.TOTP_ENROLLMENT_REQUIRED,
        "passkey_setup": result is LoginResult.PASSKEY_ENROLLMENT_REQUIRED,
        "totp": bool(candidate and candidate.totp_enabled) and not passkey_only,
        # Recovery codes come with TOTP; where passkeys are required, one leads to a new passkey.
        "recovery": bool(candidate and candidate.totp_enabled) and passkey_only,
        "passkey": bool(candidate and candidate.has_passkey),
        "passkey_only": passkey_only,
        "return_to": return_to,
        "tries": 0,
    }
    if first_factor is not None:
        pending["first_factor"] = list(first_factor)
    return provider.sessions.start_pending(
        db,
        previous,
        data={PENDING_KEY: pending},
        ttl_seconds=provider.services.settings.two_factor_login_seconds,
        meta=meta,
    )


def completed_amr(raw: dict[str, Any], amr: list[str]) -> list[str]:
    """The complete login's ``amr``: the second step's, its ``pwd`` replaced by the first step's
    own values when that was not a password (``first_factor``, see ``start_second_factor``)."""
    first = raw.get("first_factor")
    if not isinstance(first, list):
        return amr
    return [*first, *(a for a in amr if a != "pwd" and a not in first)]


def pending_of(session: BrowserSession) -> tuple[Pending, dict[str, Any]] | None:
    raw = session.data.get(PENDING_KEY)
    if session.authenticated or not isinstance(raw, dict):
        return None
    try:
        return Pending(uuid.UUID(raw["user"]), int(raw["stamp"])), raw
    except (KeyError, TypeError, ValueError):
        return None


async def restart(provider: IdentityProvider, session: BrowserSession, message: str) -> Response:
    """Back to the password, with why, in the same (anonymous) session."""
    session.data.pop(PENDING_KEY, None)
    return await redirect_with_flash(provider, session, "login", {"error": message})


def finish(provider: IdentityProvider, raw: dict[str, Any], token: str) -> Response:
    response = RedirectResponse(
        raw.get("return_to") or PAGE_PATHS["login"],
        status_code=303,
        headers={"Cache-Control": "no-store"},
    )
    provider.sessions.set_cookie(response, token)
    return response


@dataclass(frozen=True, slots=True)
class _CodeStep:
    """A code submitted to a half-finished login."""

    provider: IdentityProvider
    session: BrowserSession
    pending: Pending
    raw: dict[str, Any]
    code: str
    meta: RequestMeta
    page: str  # the form's, for a wrong code

    def log_in(self, db: Session, amr: list[str]) -> tuple[BrowserSession, str]:
        """``on_success``: the complete login's session, in the step's transaction."""
        return self.provider.sessions.log_in(
            db,
            self.session,
            user_id=self.pending.user_id,
            security_stamp=self.pending.security_stamp,
            amr=completed_amr(self.raw, amr),
            meta=self.meta,
        )

    async def wrong_code(self, message: str) -> Response:
        """The form again with ``message``, or back to the password after too many tries."""
        self.raw["tries"] = int(self.raw.get("tries", 0)) + 1
        if self.raw["tries"] >= self.provider.services.settings.two_factor_login_max_tries:
            return await restart(self.provider, self.session, TOO_MANY)
        return await redirect_with_flash(
            self.provider, self.session, self.page, {"code_error": message}
        )

    async def restart(self, result: StepResult) -> Response:
        """Back to the password: the account may not log in, or the login no longer holds."""
        message = NOT_ALLOWED if result is StepResult.NOT_ALLOWED else EXPIRED
        return await restart(self.provider, self.session, message)


async def _read_code(request: Request, page: str) -> _CodeStep | Response:
    """The submitted code and whose login it is for, or the page to answer with."""
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    session = submitted.session
    found = pending_of(session)
    if found is None:
        return await restart(provider, session, EXPIRED)
    pending, raw = found
    code = submitted.fields.get("code", "").strip()[:MAX_CODE_LENGTH]
    if not code:
        return await redirect_with_flash(provider, session, page, {"code_error": MISSING_CODE})
    # The tries of this half-finished login, reserved before the code is checked: the count in
    # the session (``wrong_code``) is read and written by each request, so a parallel burst
    # would all read the same count. The limiter's hit is atomic; its window outlives the
    # half-finished login, and a new password step starts a new session (a new key).
    settings = provider.services.settings
    limit = f"{settings.two_factor_login_max_tries}/{settings.two_factor_login_seconds} seconds"
    if await provider.services.limiter.reserve((limit, "login-tries", str(session.id))) is None:
        return await restart(provider, session, TOO_MANY)
    return _CodeStep(provider, session, pending, raw, code, provider.meta(request), page)


# --- /login/totp ---------------------------------------------------------------------------------


async def _totp_form(provider: IdentityProvider, session: BrowserSession) -> Response:
    found = pending_of(session)
    if found is None:
        return await restart(provider, session, EXPIRED)
    raw = found[1]
    if raw.get("setup"):
        return RedirectResponse(PAGE_PATHS["login_totp_setup"], status_code=303)
    if raw.get("passkey_setup"):
        return RedirectResponse(PAGE_PATHS["login_passkey_setup"], status_code=303)
    flash = await pop_flash(provider, session)
    passkey = bool(raw.get("passkey"))
    return provider.pages.render(
        "totp.html",
        title="Two-factor authentication",
        csrf_token=session.csrf_token,
        code_error=flash.get("code_error"),
        passkey_error=flash.get("passkey_error"),
        # A login from before passkeys has no "totp": it was a TOTP login.
        totp=bool(raw.get("totp", True)),
        recovery=bool(raw.get("recovery")),
        passkey=passkey,
        headers=PASSKEY_HEADERS if passkey else None,
    )


async def totp_page(request: Request) -> Response:
    return await answer(request, _totp_form)


async def totp_submit(request: Request) -> Response:
    step = await _read_code(request, "login_totp")
    if not isinstance(step, _CodeStep):
        return step
    provider = step.provider
    if step.raw.get("passkey_only"):
        # A code can be phished; the organization asked for a passkey. A recovery code (a lost
        # passkey) only opens the way to adding a new one, which completes the login.
        result = await provider.second_factor.recover_for_passkey(
            step.pending, step.code, step.meta
        )
        if result is StepResult.OK:
            step.raw.update(passkey_only=False, passkey_setup=True)
            await provider.sessions.save_data(step.session)
            return RedirectResponse(
                PAGE_PATHS["login_passkey_setup"],
                status_code=303,
                headers={"Cache-Control": "no-store"},
            )
        if result is StepResult.INVALID:
            return await step.wrong_code(INVALID_RECOVERY_CODE)
        return await step.restart(result)
    outcome = await provider.second_factor.verify(
        step.pending, step.code, step.meta, on_success=step.log_in
    )
    if outcome.result is StepResult.OK:
        assert outcome.started is not None
        return finish(provider, step.raw, outcome.started[1])
    if outcome.result is StepResult.INVALID:
        return await step.wrong_code(INVALID_ANY_CODE)
    return await step.restart(outcome.result)


# --- /login/totp/setup ---------------------------------------------------------------------------


def qr_code(uri: str) -> str | None:
    """The URI as a QR code, an SVG ``data:`` URI for an ``<img>`` (the pages' CSP allows
    ``data:`` images and no script)."""
    import segno

    data_uri: str = segno.make(uri, error="m").svg_data_uri(scale=4, border=2)
    return data_uri


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


async def _to_code_page(
    provider: IdentityProvider, session: BrowserSession, raw: dict[str, Any]
) -> Response:
    """TOTP was turned on meanwhile: this login wants a code, not a setup."""
    raw["setup"] = False
    await provider.sessions.save_data(session)
    return RedirectResponse(PAGE_PATHS["login_totp"], status_code=303)


async def totp_setup_page(request: Request) -> Response:
    async def build(provider: IdentityProvider, session: BrowserSession) -> Response:
        found = pending_of(session)
        if found is None:
            return await restart(provider, session, EXPIRED)
        if not found[1].get("setup"):
            return RedirectResponse(PAGE_PATHS["login_totp"], status_code=303)
        pending, raw = found
        enrollment = await provider.second_factor.enrollment(pending, provider.meta(request))
        if enrollment is StepResult.ALREADY_ENABLED:
            return await _to_code_page(provider, session, raw)
        if not isinstance(enrollment, Enrollment):
            return await restart(provider, session, EXPIRED)
        flash = await pop_flash(provider, session)
        return provider.pages.render(
            "totp_setup.html",
            title="Set up two-factor authentication",
            csrf_token=session.csrf_token,
            secret=_grouped(enrollment.secret),
            otpauth_uri=enrollment.uri,
            qr_code=qr_code(enrollment.uri),
            code_error=flash.get("code_error"),
        )

    return await answer(request, build)


async def totp_setup_submit(request: Request) -> Response:
    step = await _read_code(request, "login_totp_setup")
    if not isinstance(step, _CodeStep):
        return step
    provider = step.provider
    outcome = await provider.second_factor.confirm_enrollment(
        step.pending, step.code, step.meta, on_success=step.log_in
    )
    if outcome.result is StepResult.OK:
        assert outcome.started is not None and outcome.recovery_codes is not None
        # Shown in this answer and nowhere else (no redirect: the codes are not stored in clear
        # anywhere, not even for the next page). ``no-store`` keeps them out of caches.
        response = provider.pages.render(
            "recovery_codes.html",
            title="Save your recovery codes",
            codes=outcome.recovery_codes,
            continue_to=step.raw.get("return_to") or PAGE_PATHS["login"],
        )
        provider.sessions.set_cookie(response, outcome.started[1])
        return response
    if outcome.result is StepResult.INVALID:
        return await step.wrong_code(INVALID_CODE)
    if outcome.result is StepResult.ALREADY_ENABLED:
        return await _to_code_page(provider, step.session, step.raw)
    return await step.restart(outcome.result)
