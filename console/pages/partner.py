"""A customer's support partner: who it is, inviting one by STEP partner code, ending it; and
the organization's audit log."""

from __future__ import annotations

from starlette.responses import Response

from console.api.input_types import InvitePartnerInput, PartnerMappingInput
from console.forms import field_errors, values
from console.web import Ctx, Refused, console_page, read_form

PAGE_SIZE = 50


@console_page
async def partner_page(ctx: Ctx) -> Response:
    mapping = (await ctx.api.support_partner()).support_partner
    kept = ctx.session.pop_form("partner")
    viewer = await ctx.viewer()
    return await ctx.render(
        "partner.html",
        title="Partner",
        mapping=mapping,
        may_change=viewer.role.value == "SUPER_ADMIN",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
    )


async def _require_super_admin(ctx: Ctx) -> None:
    if (await ctx.viewer()).role.value != "SUPER_ADMIN":
        raise Refused(403)


@console_page
async def invite_partner(ctx: Ctx) -> Response:
    await _require_super_admin(ctx)
    form = values(await read_form(ctx.request), "stepPartnerCode")
    result = (
        await ctx.api.invite_partner(InvitePartnerInput(step_partner_code=form["stepPartnerCode"]))
    ).invite_partner
    if result.user_errors:
        errors = field_errors(result.user_errors, {"stepPartnerCode": "stepPartnerCode"})
        ctx.keep_form("partner", form, errors)
    else:
        ctx.flash("Invitation sent to the partner.")
    return ctx.redirect("/partner")


@console_page
async def end_confirm(ctx: Ctx) -> Response:
    await _require_super_admin(ctx)
    return await ctx.render(
        "confirm.html",
        title="End partner support",
        question="End this partner's support of your organization?",
        detail="Its technicians lose access with their very next request.",
        action=f"/partner/{ctx.request.path_params['id']}/end",
        button="End partner support",
        back="/partner",
    )


@console_page
async def end(ctx: Ctx) -> Response:
    await _require_super_admin(ctx)
    result = (
        await ctx.api.end_partner_mapping(
            PartnerMappingInput(mapping_id=ctx.request.path_params["id"])
        )
    ).end_partner_mapping
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("The partner no longer supports your organization.")
    return ctx.redirect("/partner")


@console_page
async def audit_log(ctx: Ctx) -> Response:
    after = (ctx.request.query_params.get("after") or "")[:200] or None
    events = (await ctx.api.audit_log(first=PAGE_SIZE, after=after)).audit_events
    return await ctx.render(
        "audit_log.html",
        title="Audit log",
        events=[edge.node for edge in events.edges],
        next_cursor=events.page_info.end_cursor if events.page_info.has_next_page else None,
        paged=after is not None,
    )
