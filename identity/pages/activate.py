"""GET/POST /activate: the hosted activation page (PRODUCT.md §3).

The emailed link opens it with the link's token; the person types the emailed code and a new
password and presses "Complete Account Authorization". The page is a thin form over
``domain.accounts.activation.activate_account`` — the same rules, limits and messages as the
``activateAccount`` mutation. The token travels in a hidden field (and the page is served with
``Referrer-Policy: no-referrer``), never in a Referer header.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from domain.accounts.activation import ACTIVATED_MESSAGE, activate_account
from domain.accounts.tokens import plausible_link_token
from domain.errors import RateLimited, UserErrors
from identity.pages.forms import Submission, read_submission
from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider, identity_of

INCOMPLETE_LINK = (
    "This activation link is incomplete. Open the link from your activation email again, or "
    "request a new activation email."
)


def _form(
    provider: IdentityProvider,
    *,
    csrf_token: str,
    token: str,
    code: str = "",
    code_error: str | None = None,
    password_error: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return provider.pages.render(
        "activate.html",
        title="Activate your account",
        status_code=status_code,
        csrf_token=csrf_token,
        token=token,
        code=code,
        code_error=code_error,
        password_error=password_error,
        error=error,
    )


async def activate_page(request: Request) -> Response:
    provider = identity_of(request)
    token = request.query_params.get("token", "")
    if not plausible_link_token(token):
        return provider.pages.message("Activate your account", INCOMPLETE_LINK, status_code=400)
    session, new_token = await provider.sessions.ensure(request, provider.meta(request))
    response = _form(provider, csrf_token=session.csrf_token, token=token)
    if new_token is not None:
        provider.sessions.set_cookie(response, new_token)
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
        return provider.pages.message("Activate your account", INCOMPLETE_LINK, status_code=400)
    try:
        await activate_account(
            provider.services,
            token=token,
            code=code,
            new_password=password,
            meta=provider.meta(request),
            field_prefix=(),
        )
    except RateLimited:
        return _form(
            provider,
            csrf_token=session.csrf_token,
            token=token,
            code=code[:32],
            error="Too many attempts. Please wait a while and try again.",
            status_code=429,
        )
    except UserErrors as exc:
        by_field = {e.field[-1] if e.field else "": e.message for e in exc.errors}
        return _form(
            provider,
            csrf_token=session.csrf_token,
            token=token,
            code=code[:32],
            code_error=by_field.get("code"),
            password_error=by_field.get("newPassword"),
            status_code=400,
        )
    return provider.pages.message(
        "Account activated",
        ACTIVATED_MESSAGE,
        "Sign in with your email and the password you just chose.",
        link=("Login", PAGE_PATHS["login"]),
    )
