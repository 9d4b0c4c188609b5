"""Settings → Single sign-on: the organization's claimed email domains (claim, verify by DNS,
remove) and its OpenID provider (connect, test, remove). The Super Admin's alone: the API refuses
everyone else (``singleSignOn`` is FORBIDDEN, which the console answers with its 403 page).

The client secret is write-only: the form never shows it, so saving the connection asks for it
again. The connection test's results are shown on the answer to its POST (they are not stored).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from console.api.enums import Role
from console.api.input_types import ClaimDomainInput, ConfigureSingleSignOnInput, GroupRoleInput
from console.forms import Problem
from console.web import Ctx, Refused, console_page, read_form

HOME = "/settings/single-sign-on"
FORM = "single_sign_on"
ROLES = [("USER", "User"), ("ADMIN", "Admin")]
EXTRA_ROWS = 3
MAX_ROWS = 20  # the console's form (at most 50 fields); the API takes up to 100 mappings
FIELDS = {
    "issuer": "issuer",
    "clientId": "client_id",
    "clientSecret": "client_secret",
    "groupsClaim": "groups_claim",
    "groupRoles": "group_roles",
}


async def _page(ctx: Ctx) -> Any:
    """The page's one request: its frame and the organization's single sign-on."""
    data = await ctx.api.single_sign_on_page()
    ctx.framed(data.viewer)
    if data.viewer.role is not Role.SUPER_ADMIN:
        raise Refused(403)
    return data.single_sign_on


def _rows(connection: Any, values: dict[str, str]) -> list[tuple[str, str]]:
    """The group → role rows of the form: the kept ones after a refusal, else the saved ones,
    and a few empty ones to add more (no script needed)."""
    if values:
        count = int(values.get("rows", "0") or 0)
        return [
            (values.get(f"group_{i}", ""), values.get(f"role_{i}", "USER")) for i in range(count)
        ]
    saved = [(g.group, g.role.value) for g in connection.group_roles] if connection else []
    return [*saved, *[("", "USER")] * EXTRA_ROWS][:MAX_ROWS]


@console_page
async def single_sign_on(ctx: Ctx) -> Response:
    sso = await _page(ctx)
    kept = ctx.session.pop_form(FORM)
    values: dict[str, str] = kept.get("values", {})
    connection = sso.connection
    rows = _rows(connection, values)
    return await ctx.render(
        "single_sign_on.html",
        title="Single sign-on",
        sso=sso,
        connection=connection,
        values=values,
        errors=kept.get("errors", {}),
        rows=rows,
        roles=ROLES,
        claim=ctx.session.pop_form("sso_claim"),
    )


@console_page
async def claim(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    domain = str(form.get("domain") or "").strip()[:300]
    result = (await ctx.api.claim_sso_domain(ClaimDomainInput(domain=domain))).claim_domain
    if result.user_errors or result.domain is None:
        message = result.user_errors[0].message if result.user_errors else "Not claimed."
        ctx.keep_form("sso_claim", {"domain": domain}, {"domain": message})
    else:
        ctx.flash(
            f"{result.domain.name} claimed. Publish its TXT record, then choose Verify.",
        )
    return ctx.redirect(HOME + "#domains")


@console_page
async def verify(ctx: Ctx) -> Response:
    domain_id = ctx.request.path_params["id"]
    result = (await ctx.api.verify_sso_domain(domain_id)).verify_domain
    if result.user_errors or result.domain is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not verified.", "error")
    else:
        ctx.flash(
            f"{result.domain.name} is verified: its addresses now sign in through your "
            "provider once a connection is set up."
        )
    return ctx.redirect(HOME + "#domains")


@console_page
async def remove_domain_confirm(ctx: Ctx) -> Response:
    sso = await _page(ctx)
    domain_id = ctx.request.path_params["id"]
    domain = next((d for d in sso.domains if d.id == domain_id), None)
    if domain is None:
        raise Refused(404)
    if domain.verified and sso.connection is not None:
        detail = (
            f"Addresses at {domain.name} no longer sign in through your provider: they sign in "
            "with a password again. "
        )
    else:
        detail = ""
    detail += "To use the domain again, claim it afresh and publish its new TXT record."
    return await ctx.render(
        "confirm.html",
        title=f"Remove {domain.name}",
        question=f"Remove the domain {domain.name}?",
        detail=detail,
        action=f"{HOME}/domains/{domain.id}/remove",
        button="Remove domain",
        back=HOME + "#domains",
    )


@console_page
async def remove_domain(ctx: Ctx) -> Response:
    domain_id = ctx.request.path_params["id"]
    result = (await ctx.api.remove_sso_domain(domain_id)).remove_domain
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("Domain removed.")
    return ctx.redirect(HOME + "#domains")


def _connection_form(form: FormData) -> tuple[dict[str, str], list[int]]:
    """The typed values (to keep after a refusal) and, for each group sent, its row."""
    typed = {
        "issuer": str(form.get("issuer") or "").strip()[:2100],
        "client_id": str(form.get("client_id") or "").strip()[:600],
        "groups_claim": str(form.get("groups_claim") or "").strip()[:300],
        "enforced": "yes" if form.get("enforced") == "yes" else "",
    }
    rows = str(form.get("rows") or "0")
    count = min(int(rows), MAX_ROWS) if rows.isdigit() else 0
    typed["rows"] = str(count)
    sent: list[int] = []
    for i in range(count):
        group = str(form.get(f"group_{i}") or "").strip()[:600]
        role = str(form.get(f"role_{i}") or "")
        typed[f"group_{i}"] = group
        typed[f"role_{i}"] = role if role in ("ADMIN", "USER") else "USER"
        if group:
            sent.append(i)
    return typed, sent


def _connection_errors(problems: list[Problem], sent: list[int]) -> dict[str, str]:
    """Each refusal beside its input: ``["input", "groupRoles", "2", "role"]`` → the row that
    sent the third mapping."""
    out: dict[str, str] = {}
    for problem in problems:
        path = problem.field or []
        name = ""
        if len(path) >= 4 and path[1] == "groupRoles" and path[2].isdigit():
            index = int(path[2])
            if index < len(sent):
                name = f"{'role' if path[3] == 'role' else 'group'}_{sent[index]}"
        elif len(path) >= 2:
            name = FIELDS.get(path[1], "")
        out.setdefault(name, problem.message)
    return out


@console_page
async def configure(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    typed, sent = _connection_form(form)
    secret = str(form.get("client_secret") or "")[:2100]
    result = (
        await ctx.api.configure_sso(
            ConfigureSingleSignOnInput(
                issuer=typed["issuer"],
                client_id=typed["client_id"],
                client_secret=secret,
                groups_claim=typed["groups_claim"] or None,
                group_roles=[
                    GroupRoleInput(group=typed[f"group_{i}"], role=Role(typed[f"role_{i}"]))
                    for i in sent
                ],
                enforced=typed["enforced"] == "yes",
            )
        )
    ).configure_single_sign_on
    if result.user_errors:
        # The secret is never kept, not even in the console's session: it is typed again.
        ctx.keep_form(FORM, typed, _connection_errors(list(result.user_errors), sent))
        return ctx.redirect(HOME + "#connection-form-title")
    ctx.flash("Connection saved. Test it before people depend on it.")
    return ctx.redirect(HOME + "#connection")


@console_page
async def test(ctx: Ctx) -> Response:
    result = (await ctx.api.check_sso_connection()).test_single_sign_on
    if result.user_errors or result.checks is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not tested.", "error")
        return ctx.redirect(HOME)
    checks = list(result.checks)
    failed = sum(1 for c in checks if c.passed is False)
    response = await ctx.render(
        "single_sign_on_test.html",
        title="Connection test",
        checks=checks,
        failed=failed,
        all_passed=all(c.passed for c in checks),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@console_page
async def remove_confirm(ctx: Ctx) -> Response:
    sso = await _page(ctx)
    if sso.connection is None:
        return ctx.redirect(HOME)
    return await ctx.render(
        "single_sign_on_remove.html",
        title="Remove single sign-on",
        connection=sso.connection,
        verified=[d.name for d in sso.domains if d.verified],
    )


@console_page
async def remove(ctx: Ctx) -> Response:
    result = (await ctx.api.remove_sso()).remove_single_sign_on
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("Single sign-on removed: members sign in with their password again.")
    return ctx.redirect(HOME)
