"""GET /check-email: where every accepted sign-up, partner request and resend ends.

The page says the same for a known and an unknown address — the services answered the same — and
repeats the address the person typed so that they can spot a typo. Reached without a flash (a
reload, a bookmark) it still says something true, without an address.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from identity.pages.form_page import show
from identity.provider import IdentityProvider
from identity.sessions import BrowserSession

SENT = {"registration", "partner_request", "resend"}


def _render(provider: IdentityProvider, session: BrowserSession, flash: dict[str, Any]) -> Response:
    sent = flash.get("sent")
    return provider.pages.render(
        "check_email.html",
        title="Check your email",
        sent=sent if sent in SENT else None,
        email=str(flash.get("email", "")),
        activation_ttl_hours=provider.services.settings.activation_ttl_seconds // 3600,
    )


async def check_email_page(request: Request) -> Response:
    return await show(request, _render)
