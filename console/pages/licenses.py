"""Licenses: the counts by status, the list, and adding a license key."""

from __future__ import annotations

from starlette.responses import Response

from console.api.enums import LicenseStatus
from console.api.input_types import RedeemLicenseKeyInput
from console.forms import field_errors, values
from console.web import Ctx, console_page, read_form

# Worded unlike the counts' labels ("Available" …), which pages and their tests find by text.
STATUSES = [
    ("AVAILABLE", "Available licenses"),
    ("IN_USE", "Licenses in use"),
    ("EXPIRING_SOON", "Licenses expiring soon"),
    ("EXPIRED", "Expired licenses"),
]


@console_page
async def license_list(ctx: Ctx) -> Response:
    chosen = (ctx.request.query_params.get("status") or "")[:20]
    status = LicenseStatus(chosen) if chosen in LicenseStatus.__members__ else None
    data = await ctx.api.licenses(status=status)
    ctx.framed(data.viewer)
    return await ctx.render(
        "licenses.html",
        title="Licenses",
        summary=data.license_summary,
        licenses=[edge.node for edge in data.licenses.edges],
        status_options=STATUSES,
        chosen=status.value if status else "",
    )


@console_page
async def add_form(ctx: Ctx) -> Response:
    await ctx.require_manager()
    kept = ctx.session.pop_form("license")
    return await ctx.render(
        "license_add.html",
        title="Add license key",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
    )


@console_page
async def add_submit(ctx: Ctx) -> Response:
    await ctx.require_manager()
    form = values(await read_form(ctx.request), "key")
    result = (
        await ctx.api.redeem_license_key(RedeemLicenseKeyInput(key=form["key"]))
    ).redeem_license_key
    if result.user_errors:
        ctx.keep_form("license", form, field_errors(result.user_errors, {"key": "key"}))
        return ctx.redirect("/licenses/add")
    ctx.flash("License key added.")
    return ctx.redirect("/licenses")
