"""``/``: the landing of the working organization — a customer's app tiles, a partner's
customers, an internal admin's pending partner requests."""

from __future__ import annotations

from starlette.responses import Response

from console.api.frame import FrameViewer
from console.api.home import HomeLandingCustomerLanding, HomeLandingPartnerLanding
from console.pages.admin import partner_requests
from console.web import Ctx, console_page

PAGE_SIZE = 25


@console_page
async def home(ctx: Ctx) -> Response:
    query = ctx.request.query_params
    search = (query.get("q") or "").strip()[:100] or None
    after = (query.get("after") or "")[:200] or None
    home_page = await ctx.api.home(first=PAGE_SIZE, after=after, search=search)
    # The frame's viewer came with the page: one GraphQL request in all.
    ctx.preset_viewer(FrameViewer.model_validate(home_page.viewer.model_dump(by_alias=True)))
    landing = home_page.landing
    if isinstance(landing, HomeLandingCustomerLanding):
        return await ctx.render(
            "home.html",
            title=landing.organization.name,
            organization=landing.organization.name,
            tiles=landing.app_tiles,
        )
    if isinstance(landing, HomeLandingPartnerLanding):
        customers = landing.customers
        viewer = await ctx.viewer()
        return await ctx.render(
            "partner_home.html",
            title="Customers",
            organization=landing.organization.name,
            is_partner_admin=viewer.role.value in ("SUPER_ADMIN", "ADMIN"),
            # The customers the viewer is assigned to as technician (and may open).
            reachable={o.id for o in viewer.organizations},
            customers=[edge.node for edge in customers.edges],
            search=search or "",
            next_cursor=customers.page_info.end_cursor
            if customers.page_info.has_next_page
            else None,
            paged=after is not None,
        )
    return await partner_requests(ctx, after)
