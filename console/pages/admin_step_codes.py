"""Internal admins: the STEP partner-code registry — list and search, add one (given or
generated), upload a CSV in the ``import-step-codes`` format (the API parses it, with the CLI's
rules, and reports every line), revoke an unused code."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.responses import Response

from console.api.enums import StepCodeStatus
from console.api.input_types import (
    AddStepPartnerCodesInput,
    ImportStepPartnerCodesInput,
    NewStepPartnerCodeInput,
    RevokeStepPartnerCodeInput,
)
from console.forms import field_errors, values
from console.pages.admin_common import PAGE_SIZE, kept, query_text, require_internal_admin
from console.web import Ctx, console_page, console_upload, read_form

# What the API takes (importStepPartnerCodes: 100 KiB); the console refuses more before sending.
MAX_UPLOAD_BYTES = 100 * 1024
STATUSES = [("ACTIVE", "Active"), ("REVOKED", "Revoked")]


@console_page
async def code_list(ctx: Ctx) -> Response:
    search = query_text(ctx, "q")
    status = query_text(ctx, "status")
    status = status if status in StepCodeStatus.__members__ else ""
    after = query_text(ctx, "after") or None
    data = await ctx.api.step_codes(
        first=PAGE_SIZE,
        after=after,
        search=search or None,
        status=StepCodeStatus(status) if status else None,
    )
    ctx.framed(data.viewer)
    found = data.step_partner_codes
    form = ctx.session.pop_form("step_code")
    upload = ctx.session.pop_form("step_code_upload")
    return await ctx.render(
        "admin_step_codes.html",
        title="STEP codes",
        codes=[edge.node for edge in found.edges],
        total=found.total_count,
        search=search,
        status=status,
        status_options=STATUSES,
        narrowed=bool(search or status),
        kept_query=kept({"q": search, "status": status}),
        next_cursor=found.page_info.end_cursor if found.page_info.has_next_page else None,
        paged=after is not None,
        values=form.get("values", {}),
        errors=form.get("errors", {}),
        upload_errors=upload.get("errors", {}),
        max_kib=MAX_UPLOAD_BYTES // 1024,
    )


@console_page
async def add_code(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    form = values(await read_form(ctx.request), "code", "company")
    entry = NewStepPartnerCodeInput(code=form["code"] or None, company=form["company"] or None)
    result = (
        await ctx.api.add_step_code(AddStepPartnerCodesInput(codes=[entry]))
    ).add_step_partner_codes
    if result.user_errors or not result.step_partner_codes:
        ctx.keep_form("step_code", form, field_errors(result.user_errors))
        return ctx.redirect("/step-codes#add")
    ctx.flash(f"STEP code {result.step_partner_codes[0].code} added.")
    return ctx.redirect("/step-codes")


async def _read_upload(ctx: Ctx) -> str | dict[str, str]:
    """The uploaded file's text, or the error to show beside the file input."""
    file = (await read_form(ctx.request, upload_bytes=MAX_UPLOAD_BYTES)).get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return {"file": "Choose a CSV file to upload."}
    raw = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        return {"file": f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KiB; split it."}
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"file": "The file is not UTF-8 text. Save it as CSV (UTF-8) and try again."}


@console_upload(MAX_UPLOAD_BYTES + 4096)
async def upload_codes(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    text = await _read_upload(ctx)
    if isinstance(text, dict):
        ctx.keep_form("step_code_upload", {}, text)
        return ctx.redirect("/step-codes#upload")
    result = (
        await ctx.api.import_step_codes(ImportStepPartnerCodesInput(csv=text))
    ).import_step_partner_codes
    if result.user_errors or result.report is None:
        ctx.keep_form("step_code_upload", {}, field_errors(result.user_errors, {"csv": "file"}))
        return ctx.redirect("/step-codes#upload")
    report = result.report
    # The report is the answer to this POST (like recovery codes): long, and of this upload only.
    ctx.flash(
        f"Upload done: {report.added} added, {report.skipped} skipped, {report.invalid} invalid."
    )
    return await ctx.render("admin_step_code_report.html", title="STEP code upload", report=report)


@console_page
async def revoke_confirm(ctx: Ctx) -> Response:
    code_id = ctx.request.path_params["id"]
    # The link names the code; it is shown only if the registry agrees (a crafted link must not
    # show one code while revoking another). Without one, the page needs only its frame.
    code = query_text(ctx, "code", 64)
    if code:
        data = await ctx.api.step_codes(first=5, search=code)
        ctx.framed(data.viewer)
        found = data.step_partner_codes.edges
        code = next((e.node.code for e in found if e.node.id == code_id), "")
    await require_internal_admin(ctx)
    return await ctx.render(
        "confirm.html",
        title="Revoke STEP code",
        question=f"Revoke the STEP code {code}?" if code else "Revoke this STEP code?",
        detail="Nobody can join as a partner with it any more. This cannot be undone.",
        action=f"/step-codes/{code_id}/revoke",
        button="Revoke",
        back="/step-codes",
    )


@console_page
async def revoke(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    result = (
        await ctx.api.revoke_step_code(RevokeStepPartnerCodeInput(id=ctx.request.path_params["id"]))
    ).revoke_step_partner_code
    if result.user_errors or result.step_partner_code is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not revoked.", "error")
    else:
        ctx.flash(f"STEP code {result.step_partner_code.code} revoked.")
    return ctx.redirect("/step-codes")
