"""GET/POST /forgot-password and GET/POST /reset-password?token=…: the hosted reset pages.

Thin forms over ``domain.accounts.password_reset`` — the same rules, limits, codes and messages
as the ``requestPasswordReset`` / ``resetPassword`` mutations. Both answer their POST with a
redirect to their GET (POST-redirect-GET): errors and the typed email travel in the session's
flash, a password never does.

* /forgot-password answers every well-formed address with the same "check your email" page
  (enumeration: the mailbox learns the truth, the page does not).
* /reset-password is opened from the email. A dead link (used, expired, replaced) gets an
  explanation and a way to ask for a new one, instead of a form it cannot submit. The token
  travels in the URL and a hidden field; the pages are served with ``Referrer-Policy:
  no-referrer`` and load nothing from elsewhere, so it never leaves in a Referer header. The new
  password is typed twice (a typo would lock the person out again); that check is the form's
  own, the password rules are the domain's.
* After a reset every session of the account has ended — possibly this browser's own — so the
  success notice goes into a fresh anonymous session, shown by the login page.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.accounts.password_reset import (
    PASSWORD_RESET_MESSAGE,
    request_password_reset,
    reset_link_state,
    reset_password,
    token_error,
)
from domain.accounts.tokens import TokenState, plausible_link_token
from domain.errors import RateLimited, UserErrors
from identity.pages.form_page import RATE_LIMITED, errors_by_field, show
from identity.pages.forms import Submission, read_submission, redirect_with_flash
from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession
from mail.messages import human_duration

MAX_EMAIL_LENGTH = 320
MISMATCH = "The two passwords do not match. Type the same new password twice."
INCOMPLETE_LINK = (
    "This password reset link is incomplete. Open the link from your email again, or request "
    "a new one."
)
RESET_TITLE = "Choose a new password"
NEW_LINK = ("Request a new link", PAGE_PATHS["forgot_password"])


# --- /forgot-password ----------------------------------------------------------------------------


def _forgot_password(
    provider: IdentityProvider, session: BrowserSession, flash: dict[str, Any]
) -> Response:
    return provider.pages.render(
        "forgot_password.html",
        title="Check your email" if flash.get("sent") else "Forgot your password?",
        csrf_token=session.csrf_token,
        sent=flash.get("sent"),
        email=flash.get("email", ""),
        email_error=flash.get("email_error"),
        error=flash.get("error"),
        expires_in=human_duration(provider.services.settings.password_reset_ttl_seconds),
    )


async def forgot_password_page(request: Request) -> Response:
    return await show(request, _forgot_password)


async def forgot_password_submit(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    session = submitted.session
    email = submitted.fields.get("email", "").strip()[:MAX_EMAIL_LENGTH]
    try:
        await request_password_reset(provider.services, provider.meta(request), email)
    except RateLimited:
        flash = {"email": email, "error": RATE_LIMITED}
    except UserErrors as exc:
        flash = {"email": email, "email_error": exc.errors[0].message}
    else:
        flash = {"sent": email}
    return await redirect_with_flash(provider, session, "forgot_password", flash)


# --- /reset-password -----------------------------------------------------------------------------


async def reset_password_page(request: Request) -> Response:
    provider = identity_of(request)
    token = request.query_params.get("token", "")
    if not plausible_link_token(token):
        return provider.pages.message(RESET_TITLE, INCOMPLETE_LINK, status_code=400, link=NEW_LINK)
    state = await reset_link_state(provider.services, token)
    if state is not TokenState.USABLE:
        return provider.pages.message(
            RESET_TITLE, token_error(state).message, status_code=400, link=NEW_LINK
        )

    def build(
        provider: IdentityProvider, session: BrowserSession, flash: dict[str, Any]
    ) -> Response:
        settings = provider.services.settings
        return provider.pages.render(
            "reset_password.html",
            title=RESET_TITLE,
            csrf_token=session.csrf_token,
            token=token,
            min_length=settings.password_min_length,
            max_length=settings.password_max_length,
            password_error=flash.get("password_error"),
            confirmation_error=flash.get("confirmation_error"),
            error=flash.get("error"),
        )

    return await show(request, build)


async def reset_password_submit(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    fields, session = submitted.fields, submitted.session
    token = fields.get("token", "")
    if not plausible_link_token(token):
        return provider.pages.message(RESET_TITLE, INCOMPLETE_LINK, status_code=400, link=NEW_LINK)
    password = fields.get("password", "")
    back = {"token": token}
    if password != fields.get("password_confirmation", ""):
        return await redirect_with_flash(
            provider, session, "reset_password", {"confirmation_error": MISMATCH}, back
        )
    meta = provider.meta(request)
    try:
        await reset_password(
            provider.services, token=token, new_password=password, meta=meta, field_prefix=()
        )
    except RateLimited:
        return await redirect_with_flash(
            provider, session, "reset_password", {"error": RATE_LIMITED}, back
        )
    except UserErrors as exc:
        # A dead link shows its explanation on the GET (which checks the link first); a
        # password the rules refuse goes next to its field.
        by_field, general = errors_by_field(exc)
        flash = {"password_error": by_field.get("newPassword"), "error": general}
        return await redirect_with_flash(provider, session, "reset_password", flash, back)
    # Every session of the account ended in that transaction (maybe this one): the notice needs
    # a live one.
    fresh, new_token = await provider.sessions.ensure(request, meta)
    response = await redirect_with_flash(
        provider, fresh, "login", {"notice": PASSWORD_RESET_MESSAGE}
    )
    if new_token is not None:
        provider.sessions.set_cookie(response, new_token)
    return response
