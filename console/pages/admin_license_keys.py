"""Internal admins: issue license keys for a product, a term and seats.

The keys are shown once, in the answer to the POST that issued them, and the batch waits in the
(sealed, server-side) console session for exactly one CSV download: the download takes it out,
and opening the form again drops it. The API never shows a key again.
"""

from __future__ import annotations

import csv
import io
import re

from starlette.responses import Response

from console.api.input_types import IssueLicenseKeysInput
from console.forms import field_errors, values
from console.pages.admin_common import require_internal_admin
from console.web import Ctx, console_page, read_form

BATCH = "license_batch"
FORM = "license_keys"
FIELDS = ("productKey", "termDays", "seats", "count")
DEFAULTS = {"termDays": "365", "seats": "1", "count": "1"}


@console_page
async def issue_form(ctx: Ctx) -> Response:
    data = await ctx.api.license_keys_page()
    ctx.framed(data.viewer)
    await require_internal_admin(ctx)
    ctx.session.pop_form(BATCH)  # a batch not downloaded by now is not offered again
    products = data.products
    kept = ctx.session.pop_form(FORM)
    return await ctx.render(
        "admin_license_keys.html",
        title="License keys",
        product_options=[(p.key, p.name) for p in products],
        values={**DEFAULTS, **kept.get("values", {})},
        errors=kept.get("errors", {}),
    )


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,6}", text) else None


@console_page
async def issue(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    form = values(await read_form(ctx.request), *FIELDS)
    numbers = {name: _number(form[name]) for name in ("termDays", "seats", "count")}
    errors = {name: "Enter a whole number." for name, value in numbers.items() if value is None}
    if not form["productKey"]:
        errors["productKey"] = "Choose a product."
    if errors:
        ctx.keep_form(FORM, form, errors)
        return ctx.redirect("/license-keys")
    result = (
        await ctx.api.issue_license_keys(
            IssueLicenseKeysInput(
                product_key=form["productKey"],
                term_days=numbers["termDays"] or 0,
                seats=numbers["seats"] or 0,
                count=numbers["count"] or 0,
            )
        )
    ).issue_license_keys
    if result.user_errors or not result.license_keys:
        ctx.keep_form(FORM, form, field_errors(result.user_errors))
        return ctx.redirect("/license-keys")
    issued = result.license_keys
    first = issued[0].license
    batch = {
        "product": first.product.name,
        "product_key": first.product.key,
        "term_days": first.term_days,
        "seats": first.seats,
        "keys": [[item.key, item.license.id] for item in issued],
    }
    ctx.session.form[BATCH] = batch
    ctx.session.dirty = True
    count = len(issued)
    ctx.flash(f"{count} license key{'' if count == 1 else 's'} issued. Copy or download them now.")
    return await ctx.render("admin_license_keys_issued.html", title="License keys", batch=batch)


@console_page
async def download(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    batch = ctx.session.pop_form(BATCH)
    if not batch:
        ctx.flash(
            "These keys were already downloaded, or they are gone: keys are shown only once. "
            "Issue new ones if you need them.",
            "error",
        )
        return ctx.redirect("/license-keys")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["key", "product", "term_days", "seats", "license_id"])
    for key, license_id in batch["keys"]:
        writer.writerow([key, batch["product_key"], batch["term_days"], batch["seats"], license_id])
    name = f"license-keys-{batch['product_key'].lower()}-{len(batch['keys'])}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
