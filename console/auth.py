"""The console's own OIDC endpoints: the callback, logout, and switching organization."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from console.oidc import LoginFailed
from console.runtime import console_of
from console.transport import remember_peer
from console.web import Ctx, console_page, error_page, read_form, same_origin

logger = logging.getLogger("portal.console")


async def callback(request: Request) -> Response:
    remember_peer(request)
    console = console_of(request)
    sessions = console.sessions
    session = await sessions.load(request)
    if session is None:
        # The cookie is gone (another browser, expired): start over.
        return RedirectResponse("/", status_code=303)
    params = {k: v for k, v in request.query_params.items() if len(v) <= 4096}
    try:
        tokens, return_to = await console.provider.finish(session, params)
    except LoginFailed as exc:
        logger.info("console: login not completed (%s)", exc)
        await sessions.save(session)
        return console.pages.render(
            "error.html",
            status_code=400,
            status=400,
            title="Sign-in not completed",
            text="The sign-in did not complete. Start again from the beginning.",
            retry=True,
        )
    fresh = await sessions.log_in(session, tokens)
    response = RedirectResponse(return_to, status_code=303, headers={"Cache-Control": "no-store"})
    sessions.set_cookie(response, fresh)
    return response


async def logout(request: Request) -> Response:
    """``Log out``: revoke the refresh token, end the provider's session, end ours."""
    remember_peer(request)
    console = console_of(request)
    sessions = console.sessions
    session = await sessions.load(request)
    if session is not None:
        form = await read_form(request)
        if not same_origin(request, console.config.public_url) or not session.csrf_ok(
            str(form.get("csrf_token") or "")
        ):
            return error_page(console, 403, "The form expired. Go back, reload and try again.")
        if session.tokens is not None:
            await console.provider.log_out(session.tokens)
        await sessions.end(session)
    response = RedirectResponse("/login?logged_out=1", status_code=303)
    sessions.clear_cookie(response)
    return response


@console_page
async def switch_organization(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    wanted = str(form.get("organization") or "")
    viewer = await ctx.viewer()
    match = next((o for o in viewer.organizations if o.id == wanted), None)
    if match is None:
        ctx.flash("Choose one of your organizations.", "error")
        return ctx.redirect("/")
    ctx.session.organization_id = match.id
    ctx.session.dirty = True
    ctx.flash(f"You are working in {match.name}.")
    return ctx.redirect("/")
