"""One signed-in request: the session, fresh tokens, the typed API client, and the page frame.

``@console_page`` wraps every console endpoint: not signed in, a GET starts the OIDC flow (and
comes back to the same path) while a POST is refused; a POST needs the session's CSRF token and
a same-origin ``Origin``; API errors become the friendly 403/404/500 pages; the session is saved
(and the cookie set) on the way out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from console.api.base_client import ApiError
from console.api.client import PortalApi
from console.api.enums import OrganizationType, PartnerAccessScope, Role
from console.api.fragments import PageFrame
from console.oidc import REFRESH_MARGIN_SECONDS
from console.runtime import Console, console_of
from console.sessions import ConsoleSession
from console.transport import remember_peer

logger = logging.getLogger("portal.console")

MANAGERS = {Role.SUPER_ADMIN, Role.ADMIN, Role.TECHNICIAN}
MAX_FORM_BYTES = 64 * 1024

# A technician manages only what the customer's grant covers (the API refuses the rest): the
# console shows the sections it covers, and no forms the grant would refuse.
_SCOPE_SECTIONS = {
    PartnerAccessScope.DEVICES: {"devices", "locations"},
    PartnerAccessScope.DEVICES_LICENSES: {"devices", "locations", "licenses"},
    PartnerAccessScope.DEVICES_LICENSES_USERS: {"devices", "locations", "licenses", "users"},
}
_SECTION_OF = {"invitations": "users"}


SCOPE_LABELS = {
    PartnerAccessScope.DEVICES.value: "devices",
    PartnerAccessScope.DEVICES_LICENSES.value: "devices and licenses",
    PartnerAccessScope.DEVICES_LICENSES_USERS.value: "devices, licenses and users",
}


def section_of(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return _SECTION_OF.get(first, first)


def technician_may(viewer: PageFrame, path: str) -> bool:
    """Whether the grant a technician works under covers the section of ``path``."""
    access = viewer.technician_access
    if viewer.role is not Role.TECHNICIAN or access is None:
        return True
    return section_of(path) in _SCOPE_SECTIONS[access.scope]


class Refused(Exception):
    """The page cannot be shown: ``status`` 403, 404 or 400."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class Ctx:
    request: Request
    console: Console
    session: ConsoleSession
    api: PortalApi
    _viewer: PageFrame | None = field(default=None)

    def framed(self, viewer: PageFrame) -> None:
        """The frame as the page's own query read it (every GET page's one query spreads
        ``PageFrame``): rendering, role checks and error pages then ask the API nothing more."""
        self._viewer = viewer

    def frame_from(self, data: dict[str, Any] | None) -> bool:
        """Take the frame from a partial answer (its other part refused), when it holds one."""
        viewer = (data or {}).get("viewer")
        if not isinstance(viewer, dict):
            return False
        try:
            self._viewer = PageFrame.model_validate(viewer)
        except ValidationError:
            return False
        return True

    async def viewer(self) -> PageFrame:
        """The frame: the page's own, else read alone (POSTs checking the role)."""
        if self._viewer is None:
            self._viewer = (await self.api.frame()).viewer
        return self._viewer

    async def can_manage(self) -> bool:
        viewer = await self.viewer()
        return viewer.role in MANAGERS and technician_may(viewer, self.request.url.path)

    async def require_manager(self) -> None:
        """The server refuses what the page would not offer (a forged POST by a USER)."""
        if not await self.can_manage():
            raise Refused(403)

    def flash(self, text: str, kind: str = "ok") -> None:
        self.session.add_flash(text, kind)

    def redirect(self, path: str) -> RedirectResponse:
        return RedirectResponse(path, status_code=303)

    def keep_form(self, name: str, values: dict[str, str], errors: dict[str, str]) -> None:
        if "" in errors:  # an error of no field the form has: the page's alert
            self.flash(errors.pop(""), "error")
        self.session.form[name] = {"values": values, "errors": errors}
        self.session.dirty = True

    async def render(self, template: str, *, title: str, **context: Any) -> Response:
        viewer = await self.viewer()
        return self.console.pages.render(
            template,
            title=title,
            viewer=viewer,
            nav=navigation(viewer, self.request.url.path),
            can_manage=viewer.role in MANAGERS and technician_may(viewer, self.request.url.path),
            csrf_token=self.session.csrf,
            flashes=self.session.pop_flash(),
            scope_labels=SCOPE_LABELS,
            **context,
        )


def navigation(viewer: PageFrame, path: str) -> list[dict[str, Any]]:
    kind = viewer.organization.type_
    if kind is OrganizationType.CUSTOMER and viewer.role is Role.TECHNICIAN:
        # A partner's technician ("Installer"): the sections the customer's grant covers.
        items = [
            (label, href)
            for label, href in [
                ("Locations", "/locations"),
                ("Devices", "/devices"),
                ("Users", "/users"),
                ("Licenses", "/licenses"),
            ]
            if technician_may(viewer, href)
        ]
    elif kind is OrganizationType.CUSTOMER:
        items = [
            ("Locations", "/locations"),
            ("Devices", "/devices"),
            ("Users", "/users"),
            ("Licenses", "/licenses"),
            ("Partner", "/partner"),
            ("Audit log", "/audit-log"),
            ("Settings", "/settings"),
        ]
    elif kind is OrganizationType.PARTNER:
        items = [("Customers", "/"), ("Users", "/users"), ("Settings", "/settings")]
    else:
        items = [
            ("Partner requests", "/"),
            ("Organizations", "/organizations"),
            ("STEP codes", "/step-codes"),
            ("License keys", "/license-keys"),
            ("Audit log", "/audit-log/all"),
        ]
    items.append(("Account", "/account"))
    return [
        {"label": label, "href": href, "current": _current(href, path, kind)}
        for label, href in items
    ]


def _current(href: str, path: str, kind: OrganizationType) -> bool:
    if href == "/" and kind is OrganizationType.PARTNER:
        return path == "/" or path.startswith("/customers/")  # a customer's pages
    return href == path or path.startswith(href + "/")


async def read_form(request: Request, *, upload_bytes: int = 0) -> FormData:
    """The posted form (parsed once; Starlette keeps it). ``upload_bytes``: the page takes one
    file of at most that size, and only with a ``Content-Length`` (a chunked body's size is not
    known before the file is spooled)."""
    length = request.headers.get("content-length")
    if upload_bytes and length is None:
        raise Refused(400)
    if int(length or 0) > MAX_FORM_BYTES + upload_bytes:
        raise Refused(400)
    return await request.form(max_files=1 if upload_bytes else 0, max_fields=50)


def same_origin(request: Request, public_url: str) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # Old browsers send no Origin on same-origin POSTs; the CSRF token still guards them.
        return origin is None
    wanted = urlsplit(public_url)
    return origin == f"{wanted.scheme}://{wanted.netloc}"


Handler = Callable[[Ctx], Awaitable[Response]]


Endpoint = Callable[[Request], Awaitable[Response]]


def console_upload(upload_bytes: int) -> Callable[[Handler], Endpoint]:
    """``console_page`` for a form that posts one file (multipart) of at most ``upload_bytes``."""
    return lambda handler: console_page(handler, upload_bytes=upload_bytes)


def console_page(handler: Handler, *, upload_bytes: int = 0) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        remember_peer(request)
        console = console_of(request)
        sessions = console.sessions
        session = await sessions.load(request)
        posted = request.method == "POST"
        if session is None or not session.authenticated:
            if posted:
                return error_page(console, 403)
            session = session or sessions.new()
            target = console.provider.start(session, _return_to(request))
            return await _finish(console, session, RedirectResponse(target, status_code=303))
        if posted:
            try:
                form = await read_form(request, upload_bytes=upload_bytes)
            except Refused as refused:  # too large, or a file where none is taken
                return error_page(console, refused.status)
            if not same_origin(request, console.config.public_url) or not session.csrf_ok(
                str(form.get("csrf_token") or "")
            ):
                await form.close()
                return error_page(console, 403, "The form expired. Go back, reload and try again.")
        tokens = session.tokens
        assert tokens is not None
        if tokens.expires_at - time.time() < REFRESH_MARGIN_SECONDS:
            fresh = await console.provider.refresh(tokens)
            if fresh is None:
                await sessions.end(session)
                # Sign in again, then back to this page (a GET's; a POST's is home).
                expired = RedirectResponse(_return_to(request), status_code=303)
                sessions.clear_cookie(expired)
                return expired
            session.tokens = fresh
            session.dirty = True
            tokens = fresh
        ctx = Ctx(
            request=request,
            console=console,
            session=session,
            api=PortalApi(
                console.api_http,
                console.api_url,
                access_token=tokens.access_token,
                organization_id=session.organization_id,
            ),
        )
        response: Response
        try:
            response = await handler(ctx)
        except Refused as refused:
            response = await _error_in_layout(ctx, refused.status)
        except ApiError as error:
            if error.code == "UNAUTHENTICATED":
                # The grant ended (logged out elsewhere, disabled, removed): sign in again.
                await sessions.end(session)
                restart = RedirectResponse(_return_to(request), status_code=303)
                sessions.clear_cookie(restart)
                return restart
            denied = error.code in {"FORBIDDEN", "NOT_FOUND"}
            # A refused part of the page (the audit log for a User): the frame came with it,
            # and the organization is evidently still the person's.
            framed = denied and ctx.frame_from(error.data)
            if denied and not framed and await _left_organization(ctx):
                ctx.flash("You no longer have access to that organization.", "error")
                response = ctx.redirect("/")
            elif denied:
                response = await _error_in_layout(ctx, 403 if error.code == "FORBIDDEN" else 404)
            elif error.code == "BAD_USER_INPUT":
                # What the address carried was refused (a made-up or stale `after` cursor): the
                # person's request, not our bug.
                response = await _error_in_layout(ctx, 400)
            else:
                logger.warning("console: API error %s", error)
                response = error_page(console, 500)
        except Exception:
            # The friendly page, never a bare 500; the details go to the log only.
            logger.exception("console: %s %s failed", request.method, request.url.path)
            response = error_page(console, 500)
        finally:
            if posted:
                await form.close()  # an uploaded file's spool
        return await _finish(console, session, response)

    return endpoint


async def _finish(console: Console, session: ConsoleSession, response: Response) -> Response:
    if session.dirty:
        await console.sessions.save(session)
    if session.fresh:
        console.sessions.set_cookie(response, session)
    return response


def _return_to(request: Request) -> str:
    path = request.url.path
    if request.method != "GET" or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    query = request.url.query
    return f"{path}?{query}" if query else path


ERRORS = {
    400: ("Request not understood", "The request was malformed. Go back and try again."),
    403: (
        "Not allowed",
        "Your role in this organization does not allow this. Ask an administrator if you need it.",
    ),
    404: ("Not found", "There is nothing here, or it was removed. Check the address."),
    500: (
        "Something went wrong",
        "We could not complete this request. Try again in a moment; if it keeps happening, "
        "contact support.",
    ),
}


async def _left_organization(ctx: Ctx) -> bool:
    """The remembered working organization is no longer one of the person's (removed, left):
    forget it, so the next page is the default organization's instead of an error forever."""
    chosen = ctx.session.organization_id
    if chosen is None:
        return False
    plain = PortalApi(ctx.api.http, ctx.api.url, access_token=ctx.api.headers["Authorization"][7:])
    try:
        organizations = (await plain.frame()).viewer.organizations
    except ApiError:
        return False
    if any(o.id == chosen for o in organizations):
        return False
    ctx.session.organization_id = None
    ctx.session.dirty = True
    return True


async def _error_in_layout(ctx: Ctx, status: int) -> Response:
    """The error inside the console's frame (navigation, Log out), when the frame can be read."""
    title, text = ERRORS[status]
    try:
        response = await ctx.render(
            "error_page.html", title=title, heading=title, text=text, status=status
        )
    except ApiError:
        return error_page(ctx.console, status)
    response.status_code = status
    return response


def error_page(console: Console, status: int, detail: str | None = None) -> Response:
    title, text = ERRORS.get(status, ERRORS[500])
    return console.pages.render(
        "error.html", status_code=status, title=title, text=detail or text, status=status
    )


async def page_not_found(request: Request, exc: Exception) -> Response:
    """A path that no route serves (the app's 404 handler): the console's friendly page instead
    of a bare "Not Found"; read-only, no session needed."""
    return error_page(console_of(request), 404)
