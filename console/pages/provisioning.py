"""Settings → Provisioning (SCIM): the organization's SCIM token and base URL (Super Admin).

A new token is shown on the answer to the POST itself, never kept anywhere (not even in the
console's session): once the page is left it cannot be shown again. Replacing a live token and
revoking it are confirmed first: the directory stops provisioning at its next request.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from console.web import Ctx, Refused, console_page

HOME = "/settings/provisioning"
SCIM_PATH = "/scim/v2"


async def _tokens(ctx: Ctx) -> list[Any]:
    """The page's one request: its frame and the tokens (null for anyone but the Super Admin)."""
    data = await ctx.api.provisioning()
    ctx.framed(data.viewer)
    if data.scim_tokens is None:
        raise Refused(403)
    return list(data.scim_tokens)


def _base_url(ctx: Ctx) -> str:
    return ctx.console.config.public_url.rstrip("/") + SCIM_PATH


@console_page
async def provisioning(ctx: Ctx) -> Response:
    tokens = await _tokens(ctx)
    live = next((t for t in tokens if t.revoked_at is None), None)
    return await ctx.render(
        "provisioning.html",
        title="Provisioning (SCIM)",
        base_url=_base_url(ctx),
        live=live,
        previous=[t for t in tokens if t.revoked_at is not None],
    )


@console_page
async def replace_confirm(ctx: Ctx) -> Response:
    tokens = await _tokens(ctx)
    if not any(t.revoked_at is None for t in tokens):
        return ctx.redirect(HOME)
    return await ctx.render(
        "confirm.html",
        title="Replace SCIM token",
        question="Replace the SCIM token?",
        detail="The current token stops working at once: give the new one, shown once on the "
        "next page, to your directory.",
        action=f"{HOME}/new",
        button="Replace token",
        back=HOME,
    )


@console_page
async def create(ctx: Ctx) -> Response:
    result = (await ctx.api.create_scim_token()).create_scim_token
    if result.user_errors or result.token is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not created.", "error")
        return ctx.redirect(HOME)
    ctx.flash("SCIM token created.")
    response = await ctx.render(
        "provisioning_token.html",
        title="Your SCIM token",
        token=result.token,
        base_url=result.base_url or _base_url(ctx),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@console_page
async def revoke_confirm(ctx: Ctx) -> Response:
    tokens = await _tokens(ctx)
    if not any(t.revoked_at is None for t in tokens):
        return ctx.redirect(HOME)
    return await ctx.render(
        "confirm.html",
        title="Revoke SCIM token",
        question="Revoke the SCIM token?",
        detail="Your directory's next request is refused. The members it provisioned stay.",
        action=f"{HOME}/revoke",
        button="Revoke token",
        back=HOME,
    )


@console_page
async def revoke(ctx: Ctx) -> Response:
    result = (await ctx.api.revoke_scim_token()).revoke_scim_token
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("SCIM token revoked.")
    return ctx.redirect(HOME)
