"""A customer's support partner: who it is, inviting one by STEP partner code, ending it; and
the organization's audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from starlette.responses import Response

from console.api.enums import PartnerAccessScope
from console.api.input_types import (
    InvitePartnerInput,
    PartnerMappingInput,
    UpdatePartnerAccessInput,
)
from console.forms import field_errors, values
from console.web import SCOPE_LABELS, Ctx, Refused, console_page, read_form

PAGE_SIZE = 50


@console_page
async def partner_page(ctx: Ctx) -> Response:
    mapping = (await ctx.api.support_partner()).support_partner
    kept = ctx.session.pop_form("partner")
    access = ctx.session.pop_form("access")
    viewer = await ctx.viewer()
    return await ctx.render(
        "partner.html",
        title="Partner",
        mapping=mapping,
        may_change=viewer.role.value == "SUPER_ADMIN",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        access_values=access.get("values", {}),
        access_errors=access.get("errors", {}),
        scopes=[(s.value, SCOPE_LABELS[s.value].capitalize()) for s in PartnerAccessScope],
    )


async def _require_super_admin(ctx: Ctx) -> None:
    if (await ctx.viewer()).role.value != "SUPER_ADMIN":
        raise Refused(403)


@console_page
async def invite_partner(ctx: Ctx) -> Response:
    await _require_super_admin(ctx)
    form = values(await read_form(ctx.request), "stepPartnerCode", "accessScope")
    scopes = {s.value for s in PartnerAccessScope}
    scope = PartnerAccessScope(form["accessScope"]) if form["accessScope"] in scopes else None
    result = (
        await ctx.api.invite_partner(
            InvitePartnerInput(step_partner_code=form["stepPartnerCode"], access_scope=scope)
        )
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


def _day(raw: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(raw), time(0, 0), UTC)
    except ValueError:
        return None


@console_page
async def update_access(ctx: Ctx) -> Response:
    """The Super Admin changes the partner's grant: its scope and its end date."""
    await _require_super_admin(ctx)
    form = values(await read_form(ctx.request), "accessScope", "accessExpiresAt", "currentEnd")
    if form["accessExpiresAt"] == form.pop("currentEnd"):
        form["accessExpiresAt"] = ""  # the date shown, unchanged: keep the exact end
    scope = (
        PartnerAccessScope(form["accessScope"])
        if form["accessScope"] in {s.value for s in PartnerAccessScope}
        else None
    )
    ends = _day(form["accessExpiresAt"]) if form["accessExpiresAt"] else None
    if form["accessExpiresAt"] and ends is None:
        ctx.keep_form("access", form, {"accessExpiresAt": "Enter a date such as 2027-12-31."})
        return ctx.redirect("/partner")
    result = (
        await ctx.api.update_partner_access(
            UpdatePartnerAccessInput(
                mapping_id=ctx.request.path_params["id"], access_scope=scope, access_expires_at=ends
            )
        )
    ).update_partner_access
    if result.user_errors:
        names = {"accessScope": "accessScope", "accessExpiresAt": "accessExpiresAt"}
        ctx.keep_form("access", form, field_errors(result.user_errors, names))
    else:
        ctx.flash("Partner access updated: it applies to the partner's next request.")
    return ctx.redirect("/partner")


@console_page
async def answer_extension(ctx: Ctx) -> Response:
    await _require_super_admin(ctx)
    mapping = PartnerMappingInput(mapping_id=ctx.request.path_params["id"])
    if ctx.request.path_params["answer"] == "approve":
        approved = (
            await ctx.api.approve_partner_access_extension(mapping)
        ).approve_partner_access_extension
        problems = approved.user_errors
        ends = approved.partner_mapping.access_expires_at if approved.partner_mapping else None
        done = (
            f"Extension approved: the partner's access now ends on {ends:%d %b %Y}." if ends else ""
        )
    elif ctx.request.path_params["answer"] == "decline":
        problems = (
            await ctx.api.decline_partner_access_extension(mapping)
        ).decline_partner_access_extension.user_errors
        done = "Extension declined: the end date stays."
    else:
        raise Refused(404)
    if problems:
        ctx.flash(problems[0].message, "error")
    else:
        ctx.flash(done)
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
