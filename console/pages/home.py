"""``/``: the landing of the working organization — a customer's app tiles, a partner's
customers, an internal admin's pending partner requests."""

from __future__ import annotations

from starlette.responses import Response

from console.api.home import (
    HomeLandingAdminLanding,
    HomeLandingCustomerLanding,
    HomeLandingPartnerLanding,
)
from console.web import Ctx, Refused, console_page

PAGE_SIZE = 25


@console_page
async def home(ctx: Ctx) -> Response:
    query = ctx.request.query_params
    search = (query.get("q") or "").strip()[:100] or None
    after = (query.get("after") or "")[:200] or None
    data = await ctx.api.home(first=PAGE_SIZE, after=after, search=search)
    ctx.framed(data.viewer)
    landing = data.landing
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
    if isinstance(landing, HomeLandingAdminLanding):
        requests = landing.pending_partner_requests
        return await ctx.render(
            "partner_requests.html",
            title="Partner requests",
            requests=[edge.node for edge in requests.edges],
            next_cursor=requests.page_info.end_cursor if requests.page_info.has_next_page else None,
            paged=after is not None,
        )
    raise Refused(404)
