"""Internal admins: every organization (search, type, status, pages), one in full (members,
partner mappings, counts, recent audit events), suspend and reactivate with a reason."""

from __future__ import annotations

from starlette.responses import Response

from console.api.enums import OrganizationStatus, OrganizationType
from console.api.input_types import ReactivateOrganizationInput, SuspendOrganizationInput
from console.forms import field_errors, values
from console.pages.admin_common import PAGE_SIZE, kept, query_text, require_internal_admin
from console.web import Ctx, Refused, console_page, read_form

TYPES = [("CUSTOMER", "Customer"), ("PARTNER", "Partner"), ("INTERNAL", "Internal")]
STATUSES = [("ACTIVE", "Active"), ("PENDING", "Pending activation"), ("SUSPENDED", "Suspended")]


@console_page
async def organization_list(ctx: Ctx) -> Response:
    search = query_text(ctx, "q")
    kind = query_text(ctx, "type")
    kind = kind if kind in OrganizationType.__members__ else ""
    status = query_text(ctx, "status")
    status = status if status in OrganizationStatus.__members__ else ""
    after = query_text(ctx, "after") or None
    data = await ctx.api.admin_organizations(
        first=PAGE_SIZE,
        after=after,
        search=search or None,
        type_=OrganizationType(kind) if kind else None,
        status=OrganizationStatus(status) if status else None,
    )
    ctx.framed(data.viewer)
    found = data.organizations
    return await ctx.render(
        "admin_organizations.html",
        title="Organizations",
        organizations=[edge.node for edge in found.edges],
        total=found.total_count,
        search=search,
        chosen={"type": kind, "status": status},
        type_options=TYPES,
        status_options=STATUSES,
        narrowed=bool(search or kind or status),
        kept_query=kept({"q": search, "type": kind, "status": status}),
        next_cursor=found.page_info.end_cursor if found.page_info.has_next_page else None,
        paged=after is not None,
    )


@console_page
async def organization_page(ctx: Ctx) -> Response:
    data = await ctx.api.admin_organization(id=ctx.request.path_params["id"])
    ctx.framed(data.viewer)
    organization = data.organization
    if organization is None:
        raise Refused(404)
    return await ctx.render(
        "admin_organization.html",
        title=organization.name,
        org=organization,
        members=[edge.node for edge in organization.members.edges],
        mappings=[edge.node for edge in organization.partner_mappings.edges],
        # null when refused (Organization.auditEvents answers null, not the whole page)
        events=[edge.node for edge in audit.edges]
        if (audit := organization.organization.audit_events)
        else [],
    )


async def _organization_or_404(ctx: Ctx, organization_id: str) -> tuple[str, OrganizationStatus]:
    """The form's one query: the frame, the organization's name and status."""
    data = await ctx.api.admin_organization_name(id=organization_id)
    ctx.framed(data.viewer)
    await require_internal_admin(ctx)
    found = data.organization
    if found is None:
        raise Refused(404)
    return found.name, found.status


@console_page
async def suspend_form(ctx: Ctx) -> Response:
    organization_id = ctx.request.path_params["id"]
    name, status = await _organization_or_404(ctx, organization_id)
    kept_form = ctx.session.pop_form("suspend")
    return await ctx.render(
        "admin_suspend.html",
        title=f"Suspend {name}",
        organization_id=organization_id,
        name=name,
        already=status is OrganizationStatus.SUSPENDED,
        values=kept_form.get("values", {}),
        errors=kept_form.get("errors", {}),
    )


@console_page
async def suspend(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    organization_id = ctx.request.path_params["id"]
    form = values(await read_form(ctx.request), "reason")
    if not form["reason"]:
        ctx.keep_form("suspend", form, {"reason": "Give a reason: it is kept with the suspension."})
        return ctx.redirect(f"/organizations/{organization_id}/suspend")
    result = (
        await ctx.api.suspend_organization(
            SuspendOrganizationInput(organization_id=organization_id, reason=form["reason"])
        )
    ).suspend_organization
    if result.user_errors or result.organization is None:
        ctx.keep_form("suspend", form, field_errors(result.user_errors, {"reason": "reason"}))
        return ctx.redirect(f"/organizations/{organization_id}/suspend")
    ctx.flash(f"{result.organization.name} is suspended: its members can no longer sign in.")
    return ctx.redirect(f"/organizations/{organization_id}")


@console_page
async def reactivate_confirm(ctx: Ctx) -> Response:
    organization_id = ctx.request.path_params["id"]
    name, _ = await _organization_or_404(ctx, organization_id)
    return await ctx.render(
        "confirm.html",
        title=f"Reactivate {name}",
        question=f"Reactivate {name}?",
        detail="Its members can sign in and use the portal again, as before the suspension.",
        action=f"/organizations/{organization_id}/reactivate",
        button="Reactivate",
        back=f"/organizations/{organization_id}",
    )


@console_page
async def reactivate(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    organization_id = ctx.request.path_params["id"]
    result = (
        await ctx.api.reactivate_organization(
            ReactivateOrganizationInput(organization_id=organization_id)
        )
    ).reactivate_organization
    if result.user_errors or result.organization is None:
        problem = result.user_errors[0].message if result.user_errors else "Not reactivated."
        ctx.flash(problem, "error")
    else:
        ctx.flash(f"{result.organization.name} is active again.")
    return ctx.redirect(f"/organizations/{organization_id}")
