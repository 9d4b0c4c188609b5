"""What the self-service form pages share: answering a GET with the browser session (so the form
has its CSRF token) and the flash the POST left, and turning a service's ``UserErrors`` into one
message per field for the form to show next to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.errors import UserErrors
from identity.pages.forms import pop_flash
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession

# Rate limits count requests from an address or for an email, not accounts, so saying so tells
# nobody anything about an account (ARCHITECTURE.md, "No enumeration").
RATE_LIMITED = "Too many attempts. Please wait a while and try again."
# A typed value is kept for the form that shows the errors; a longer one is already invalid
# (every field's maximum is below this), and the flash lives in the session row.
MAX_KEPT_LENGTH = 600

Build = Callable[[IdentityProvider, BrowserSession, dict[str, Any]], Response]
Answer = Callable[[IdentityProvider, BrowserSession], Awaitable[Response]]


async def answer(request: Request, build: Answer) -> Response:
    """``await build(provider, session)``, with a new anonymous session's cookie when needed."""
    provider = identity_of(request)
    session, new_token = await provider.sessions.ensure(request, provider.meta(request))
    response = await build(provider, session)
    if new_token is not None:
        provider.sessions.set_cookie(response, new_token)
    return response


async def show(request: Request, build: Build) -> Response:
    """``build(provider, session, flash)``, with a new anonymous session's cookie when needed."""

    async def with_flash(provider: IdentityProvider, session: BrowserSession) -> Response:
        return build(provider, session, await pop_flash(provider, session))

    return await answer(request, with_flash)


def errors_by_field(exc: UserErrors) -> tuple[dict[str, str], str | None]:
    """The first message for each field (the last step of its path, which is the form input's
    name), and the first message that belongs to no field."""
    by_field: dict[str, str] = {}
    general: str | None = None
    for error in exc.errors:
        if error.field:
            by_field.setdefault(error.field[-1], error.message)
        elif general is None:
            general = error.message
    return by_field, general


def kept_values(fields: dict[str, str], names: Iterable[str]) -> dict[str, str]:
    """What the user typed into ``names`` (never pass a password field here)."""
    return {name: fields.get(name, "")[:MAX_KEPT_LENGTH] for name in names}
