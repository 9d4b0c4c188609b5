"""GET/POST /activate/resend: a new activation email, for a lost, expired or locked code.

A thin form over ``domain.accounts.resend.resend_activation`` (the ``resendActivation`` mutation's
service): whatever the address, the answer is the "check your email" page, and only the mailbox
learns whether there was a pending account (a new link and code), an active one (a notice) or none.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.accounts.resend import resend_activation
from domain.errors import RateLimited, UserErrors
from identity.pages.form_page import RATE_LIMITED, errors_by_field, kept_values, show
from identity.pages.forms import Submission, read_submission, redirect_with_flash
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession


def _render(provider: IdentityProvider, session: BrowserSession, flash: dict[str, Any]) -> Response:
    errors: dict[str, str] = flash.get("errors", {})
    return provider.pages.render(
        "resend.html",
        title="Get a new activation email",
        csrf_token=session.csrf_token,
        email=flash.get("values", {}).get("email", ""),
        email_error=errors.get("email"),
        error=flash.get("error"),
    )


async def resend_page(request: Request) -> Response:
    return await show(request, _render)


async def resend_submit(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    fields, session = submitted.fields, submitted.session
    values = kept_values(fields, ["email"])
    try:
        await resend_activation(provider.services, provider.meta(request), fields.get("email", ""))
    except RateLimited:
        return await redirect_with_flash(
            provider, session, "resend_activation", {"values": values, "error": RATE_LIMITED}
        )
    except UserErrors as exc:
        by_field, general = errors_by_field(exc)
        return await redirect_with_flash(
            provider,
            session,
            "resend_activation",
            {"values": values, "errors": by_field, "error": general},
        )
    return await redirect_with_flash(
        provider, session, "check_email", {"sent": "resend", "email": values["email"]}
    )
