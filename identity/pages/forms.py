"""What every hosted form does: read the capped body, check the CSRF token against the session,
and carry a flash (errors and what the user typed, never a password) from a POST to the GET that
follows it (POST-redirect-GET)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity.pages.urls import PAGE_PATHS
from identity.provider import IdentityProvider
from identity.sessions import BrowserSession
from web.forms import BodyTooLarge, MalformedForm, read_urlencoded

FLASH_KEY = "flash"
T = TypeVar("T")


@dataclass
class Submission:
    fields: dict[str, str]
    session: BrowserSession


def _nothing(_session: Session, _fields: dict[str, str]) -> None:
    return None


async def read_submission(provider: IdentityProvider, request: Request) -> Submission | Response:
    """The submitted fields, or the page to answer with (a stale or forged form)."""
    read = await read_submission_with(provider, request, _nothing)
    return read if isinstance(read, Response) else read[0]


async def read_submission_with(
    provider: IdentityProvider, request: Request, lookup: Callable[[Session, dict[str, str]], T]
) -> tuple[Submission, T] | Response:
    """``read_submission``, and what ``lookup`` reads for the handler from the database with the
    browser session, in one transaction (BrowserSessions.submitted)."""
    try:
        items = await read_urlencoded(request)
    except BodyTooLarge:
        # 413 like /graphql and /oauth/token: no form of ours comes near the cap.
        return provider.pages.message(
            "Something went wrong", "The form sent far more than it could hold.", status_code=413
        )
    except MalformedForm:
        return provider.pages.message(
            "Something went wrong", "The form was not valid.", status_code=400
        )
    fields = {key: value for key, value in reversed(items)}
    submitted = await provider.sessions.submitted(
        request, fields.get("csrf_token"), provider.meta(request), lambda db: lookup(db, fields)
    )
    if submitted is None:
        return provider.pages.message(
            "Please try again",
            "This form expired or did not come from this site, so nothing was done.",
            status_code=403,
            link=("Start again", PAGE_PATHS["login"]),
        )
    session, found = submitted
    return Submission(fields, session), found


async def redirect_with_flash(
    provider: IdentityProvider,
    session: BrowserSession,
    page: str,
    flash: dict[str, Any],
    query: dict[str, str] | None = None,
) -> Response:
    session.data[FLASH_KEY] = flash
    await provider.sessions.save_data(session)
    return see_other(page, query)


async def pop_flash(provider: IdentityProvider, session: BrowserSession) -> dict[str, Any]:
    flash = session.data.pop(FLASH_KEY, None)
    if flash is None:
        return {}
    await provider.sessions.save_data(session)
    return dict(flash)


def see_other(page: str, query: dict[str, str] | None = None) -> Response:
    target = PAGE_PATHS.get(page, page)
    if query:
        target += "?" + urlencode({k: v for k, v in query.items() if v})
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
