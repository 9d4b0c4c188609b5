"""A dependency that is down is a 503 with ``Retry-After``, never a 500 (SECURITY.md).

``UnavailableMiddleware`` catches what escapes a handler and is an outage by kit/dependencies.py
(the one classification), logs the outage once (``OUTAGES``) and answers in the shape of the path:

* the OAuth/OIDC endpoints: JSON ``{"error": "temporarily_unavailable"}`` (RFC 6749 §4.1.2.1
  defines that code; clients of the token endpoint know it);
* ``/graphql``: a GraphQL error with ``extensions.code`` ``SERVICE_UNAVAILABLE`` (GraphQL's own
  execution errors are mapped where they are masked: schema/extensions.py, web/graphql.py);
* everything else (the hosted pages): a friendly page that says to try again shortly.

Anything else escapes as before (a bug: uvicorn's 500 and a traceback in the log).
"""

from __future__ import annotations

import json

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from identity.oauth import paths as oauth_paths
from identity.pages.rendering import Pages
from identity.provider import IdentityProvider
from kit.dependencies import OUTAGES, RETRY_AFTER_SECONDS, unavailable
from schema.errors import ErrorCode
from schema.extensions import UNAVAILABLE_MESSAGE

_OAUTH_PATHS = (
    oauth_paths.TOKEN,
    oauth_paths.REVOKE,
    oauth_paths.USERINFO,
    oauth_paths.JWKS,
    oauth_paths.DISCOVERY,
)
# Only when the hosted pages are not there to render it (an app without the identity provider).
_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Temporarily unavailable</title>"
    "<h1>We'll be right back</h1><p>Cloud Portal cannot complete your request right now. "
    "Go back and try again in a few seconds.</p></html>"
)
PAGE_TITLE = "We'll be right back"
PAGE_TEXT = (
    "Cloud Portal cannot complete your request right now.",
    "Please go back and try again in a few seconds.",
)


def retry_headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def unavailable_response(path: str, *, accept: str = "", pages: Pages | None = None) -> Response:
    headers = retry_headers()
    if path.startswith(_OAUTH_PATHS):
        return JSONResponse(
            {
                "error": "temporarily_unavailable",
                "error_description": "The service is temporarily unavailable; retry shortly.",
            },
            status_code=503,
            headers=headers,
        )
    if path == "/graphql":
        body = {
            "errors": [
                {
                    "message": UNAVAILABLE_MESSAGE,
                    "extensions": {"code": ErrorCode.SERVICE_UNAVAILABLE.value},
                }
            ]
        }
        media_type = (
            "application/graphql-response+json"
            if "application/graphql-response+json" in accept
            else "application/json"
        )
        return Response(json.dumps(body), status_code=503, media_type=media_type, headers=headers)
    if pages is not None:
        # The hosted pages' design; the template reads nothing but its arguments.
        response = pages.message(PAGE_TITLE, *PAGE_TEXT, status_code=503)
        response.headers.update(headers)
        return response
    headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    return HTMLResponse(_PAGE, status_code=503, headers=headers)


class UnavailableMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            dependency = unavailable(exc)
            if dependency is None or started:
                raise
            OUTAGES.failed(dependency, exc, where=f"{scope.get('method')} {scope.get('path')}")
            accept = ""
            for name, value in scope.get("headers", []):
                if name == b"accept":
                    accept = value.decode("latin-1")
            identity = scope.get("state", {}).get("identity")
            response = unavailable_response(
                scope.get("path", ""),
                accept=accept,
                pages=identity.pages if isinstance(identity, IdentityProvider) else None,
            )
            await response(scope, receive, send)
