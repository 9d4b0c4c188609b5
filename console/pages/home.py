"""``/``: the landing of the working organization (a customer's app tiles)."""

from __future__ import annotations

from starlette.responses import Response

from console.api.home import HomeLandingCustomerLanding, HomeLandingPartnerLanding
from console.web import Ctx, console_page


@console_page
async def home(ctx: Ctx) -> Response:
    landing = (await ctx.api.home()).landing
    if isinstance(landing, HomeLandingCustomerLanding):
        return await ctx.render(
            "home.html",
            title=landing.organization.name,
            organization=landing.organization.name,
            tiles=landing.app_tiles,
            menu=landing.menu,
        )
    viewer = await ctx.viewer()
    name = (
        landing.organization.name
        if isinstance(landing, HomeLandingPartnerLanding)
        else viewer.organization.name
    )
    return await ctx.render("placeholder.html", title=name, heading=name, section=None)
