"""The sections still to come (honest placeholders, with the nav)."""

from __future__ import annotations

from starlette.responses import Response

from console.web import Ctx, console_page

SECTIONS = {
    "/organizations": "Organizations",
    "/step-codes": "STEP codes",
    "/license-keys": "License keys",
}


@console_page
async def section(ctx: Ctx) -> Response:
    name = SECTIONS[ctx.request.url.path]
    return await ctx.render("placeholder.html", title=name, heading=name, section=name)
