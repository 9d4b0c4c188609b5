"""GET/POST /activate: the hosted activation page (PRODUCT.md §3).

The emailed link opens it with the link's token; the person types the emailed code and a new
password (twice) and presses "Complete Account Authorization". The page is a thin form over
``domain.accounts.activation.activate_account`` — the same rules, limits and messages as the
``activateAccount`` mutation. Only the confirmation is the page's own: it guards against a typo
in a field nobody can see, and a mismatch is answered before the service counts a code attempt.

POST-redirect-GET: a refusal goes back to ``/activate?token=…`` with the errors and the typed code
in the session's flash (never the password); success goes to the login page with the email filled
in and the contract's message. Every response here is ``Referrer-Policy: no-referrer``, so the
token in the URL never leaks in a Referer header. An expired, locked or replaced code is explained
by the service's message, next to a way to get a new email (``/activate/resend``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.accounts.activation import ACTIVATED_MESSAGE, activate_account
from domain.accounts.tokens import plausible_link_token
from domain.errors import RateLimited, UserErrors
from identity.pages.form_page import RATE_LIMITED, errors_by_field, show
from identity.pages.forms import Submission, read_submission, redirect_with_flash
from identity.pages.security import redirect_headers
from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession

INCOMPLETE_LINK = (
    "This activation link is incomplete. Open the link from your activation email again, or "
    "request a new activation email."
)
MISMATCH = "The two passwords do not match."
MAX_CODE_LENGTH = 32


def _incomplete(provider: IdentityProvider) -> Response:
    return provider.pages.message(
        "Activate your account",
        INCOMPLETE_LINK,
        status_code=400,
        link=("Request a new activation email", PAGE_PATHS["resend_activation"]),
    )


def _render(
    provider: IdentityProvider, session: BrowserSession, flash: dict[str, Any], token: str
) -> Response:
    errors: dict[str, str] = flash.get("errors", {})
    return provider.pages.render(
        "activate.html",
        title="Activate your account",
        csrf_token=session.csrf_token,
        token=token,
        code=str(flash.get("code", "")),
        code_error=errors.get("code"),
        password_error=errors.get("newPassword"),
        confirm_error=errors.get("password_confirmation"),
        first_name=str(flash.get("first_name", "")),
        last_name=str(flash.get("last_name", "")),
        first_name_error=errors.get("firstName"),
        last_name_error=errors.get("lastName"),
        error=flash.get("error"),
        min_length=provider.services.settings.password_min_length,
    )


async def activate_page(request: Request) -> Response:
    provider = identity_of(request)
    token = request.query_params.get("token", "")
    if not plausible_link_token(token):
        return _incomplete(provider)
    return await show(
        request, lambda provider, session, flash: _render(provider, session, flash, token)
    )


async def _back(
    provider: IdentityProvider, session: BrowserSession, token: str, flash: dict[str, Any]
) -> Response:
    response = await redirect_with_flash(provider, session, "activate", flash, {"token": token})
    response.headers.update(redirect_headers(provider.services.settings))
    return response


async def activate_submit(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    fields, session = submitted.fields, submitted.session
    token = fields.get("token") or request.query_params.get("token", "")
    code = fields.get("code", "")
    password = fields.get("password", "")
    if not plausible_link_token(token):
        return _incomplete(provider)
    # Optional: the account's owner names themselves (an invited account has no name yet).
    first_name = fields.get("first_name", "")[:200]
    last_name = fields.get("last_name", "")[:200]
    kept = {"code": code[:MAX_CODE_LENGTH], "first_name": first_name, "last_name": last_name}
    # The contract's form is `code` and `password` (PRODUCT.md §3): a client that fills only
    # those must succeed. The repeat field is a typo guard for people, checked when filled.
    confirmation = fields.get("password_confirmation", "")
    if confirmation and password != confirmation:
        return await _back(
            provider, session, token, {**kept, "errors": {"password_confirmation": MISMATCH}}
        )
    try:
        activated = await activate_account(
            provider.services,
            token=token,
            code=code,
            new_password=password,
            meta=provider.meta(request),
            field_prefix=(),
            first_name=first_name or None,
            last_name=last_name or None,
        )
    except RateLimited:
        return await _back(provider, session, token, {**kept, "error": RATE_LIMITED})
    except UserErrors as exc:
        by_field, general = errors_by_field(exc)
        return await _back(provider, session, token, {**kept, "errors": by_field, "error": general})
    # The login page shows the contract's message and starts with the email filled in.
    notice = f"{ACTIVATED_MESSAGE} Sign in with your email and your new password."
    response = await redirect_with_flash(
        provider, session, "login", {"email": activated.email, "notice": notice}
    )
    response.headers.update(redirect_headers(provider.services.settings))
    return response
