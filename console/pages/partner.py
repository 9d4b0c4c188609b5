"""A customer's support partner: who it is, inviting one by STEP partner code, ending it; and
the organization's audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

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
AUDIT_FILTERS = ("action", "person", "since", "until")


@console_page
async def partner_page(ctx: Ctx) -> Response:
    data = await ctx.api.support_partner()
    ctx.framed(data.viewer)
    mapping = data.viewer.working.support_partner
    kept = ctx.session.pop_form("partner")
    access = ctx.session.pop_form("access")
    viewer = data.viewer
    return await ctx.render(
        "partner.html",
        title="Partner",
        mapping=mapping,
        technicians=[edge.node for edge in mapping.technicians.edges] if mapping else [],
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
    data = await ctx.api.support_partner()
    ctx.framed(data.viewer)
    await _require_super_admin(ctx)
    mapping = data.viewer.working.support_partner
    if mapping is None or mapping.id != ctx.request.path_params["id"]:
        raise Refused(404)
    return await ctx.render(
        "confirm.html",
        title="End partner support",
        question=f"End {mapping.partner_name}'s support of your organization?",
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


def _instant(raw: str, *, end_of_day: bool = False) -> datetime | None:
    """A date from the period's inputs (``YYYY-MM-DD``, UTC), or None when empty or malformed;
    the end of the period is the next midnight (exclusive), so the last day is included."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    at = datetime.combine(day, time.min, tzinfo=UTC)
    return at + timedelta(days=1) if end_of_day else at


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
    ends = _instant(form["accessExpiresAt"]) if form["accessExpiresAt"] else None
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
    query = ctx.request.query_params
    after = (query.get("after") or "")[:200] or None
    chosen = {name: (query.get(name) or "").strip()[:100] for name in AUDIT_FILTERS}
    since, until = _instant(chosen["since"]), _instant(chosen["until"], end_of_day=True)
    chosen["since"] = chosen["since"] if since else ""
    chosen["until"] = chosen["until"] if until else ""
    data = await ctx.api.audit_log(
        first=PAGE_SIZE,
        after=after,
        action=chosen["action"] or None,
        actor_id=chosen["person"] or None,
        since=since,
        until=until,
    )
    ctx.framed(data.viewer)
    working = data.viewer.working
    events = working.audit_events
    if events is None:  # the API refuses it to this role (and says so in an error too)
        raise Refused(403)
    kept = {k: v for k, v in chosen.items() if v}
    return await ctx.render(
        "audit_log.html",
        title="Audit log",
        events=[edge.node for edge in events.edges],
        next_cursor=events.page_info.end_cursor if events.page_info.has_next_page else None,
        paged=after is not None,
        chosen=chosen,
        narrowed=bool(kept),
        kept_query=urlencode(kept),
        people=sorted((m.node.user.email, m.node.user.id) for m in working.members.edges),
    )
