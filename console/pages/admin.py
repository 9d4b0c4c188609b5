"""The internal admin's review queue: pending partner requests, approve or reject (with a
reason, which is emailed)."""

from __future__ import annotations

from starlette.responses import Response

from console.forms import field_errors, values
from console.web import Ctx, console_page, read_form


@console_page
async def approve(ctx: Ctx) -> Response:
    result = (
        await ctx.api.approve_partner_request(id=ctx.request.path_params["id"])
    ).approve_partner_request
    if result.user_errors or result.partner_request is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not approved.", "error")
    else:
        ctx.flash(
            f"{result.partner_request.company_name} approved; its Super Admin gets an "
            "activation email."
        )
    return ctx.redirect("/")


@console_page
async def reject_form(ctx: Ctx) -> Response:
    request_id = ctx.request.path_params["id"]
    data = await ctx.api.reject_partner_request_page()
    ctx.framed(data.viewer)
    pending = data.partner_requests.edges
    found = next((e.node for e in pending if e.node.id == request_id), None)
    kept = ctx.session.pop_form("reject")
    return await ctx.render(
        "reject.html",
        title="Reject partner request",
        request_id=request_id,
        found=found,
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
    )


@console_page
async def reject(ctx: Ctx) -> Response:
    request_id = ctx.request.path_params["id"]
    form = values(await read_form(ctx.request), "reason")
    if not form["reason"]:
        ctx.keep_form("reject", form, {"reason": "Give a reason: it is emailed to the requester."})
        return ctx.redirect(f"/partner-requests/{request_id}/reject")
    result = (
        await ctx.api.reject_partner_request(id=request_id, reason=form["reason"])
    ).reject_partner_request
    if result.user_errors:
        ctx.keep_form("reject", form, field_errors(result.user_errors, {"reason": "reason"}))
        return ctx.redirect(f"/partner-requests/{request_id}/reject")
    ctx.flash("Request rejected; the reason is on its way to the requester.")
    return ctx.redirect("/")
