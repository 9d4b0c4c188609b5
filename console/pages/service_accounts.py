"""Settings → Service accounts: the organization's machine access (Super Admin and Admins).

A new or rotated secret is shown on the answer to the POST itself, never kept anywhere (not even
in the console's session): once the page is left it cannot be shown again.
"""

from __future__ import annotations

from starlette.responses import Response

from console.api.enums import Role
from console.api.input_types import CreateServiceAccountInput, ServiceAccountIdInput
from console.forms import field_errors, values
from console.web import Ctx, Refused, console_page, read_form

ADMINS = {Role.SUPER_ADMIN, Role.ADMIN}
ROLES = [("USER", "User (read only)"), ("ADMIN", "Admin")]
ROLE_LABELS = {"ADMIN": "Admin", "USER": "User"}
HOME = "/settings/service-accounts"


async def _require_admin(ctx: Ctx) -> None:
    if (await ctx.viewer()).role not in ADMINS:
        raise Refused(403)


@console_page
async def service_account_list(ctx: Ctx) -> Response:
    data = await ctx.api.service_accounts()
    ctx.framed(data.viewer)
    await _require_admin(ctx)
    return await ctx.render(
        "service_accounts.html",
        title="Service accounts",
        accounts=[edge.node for edge in data.service_accounts.edges],
        role_labels=ROLE_LABELS,
    )


@console_page
async def create_form(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    kept = ctx.session.pop_form("service_account")
    return await ctx.render(
        "service_account_new.html",
        title="Create service account",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        roles=ROLES,
    )


@console_page
async def create(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    form = values(await read_form(ctx.request), "name", "role")
    if form["role"] not in ROLE_LABELS:
        ctx.keep_form("service_account", form, {"role": "Choose a role."})
        return ctx.redirect(HOME + "/new")
    result = (
        await ctx.api.create_service_account(
            CreateServiceAccountInput(name=form["name"], role=Role(form["role"]))
        )
    ).create_service_account
    if result.user_errors or result.client_secret is None or result.service_account is None:
        ctx.keep_form(
            "service_account",
            form,
            field_errors(result.user_errors, {"name": "name", "role": "role"}),
        )
        return ctx.redirect(HOME + "/new")
    ctx.flash(f"Service account {result.service_account.name} created.")
    return await _secret_page(
        ctx, result.service_account.name, result.client_id or "", result.client_secret
    )


async def _secret_page(ctx: Ctx, name: str, client_id: str, secret: str) -> Response:
    response = await ctx.render(
        "service_account_secret.html",
        title=f"Credentials of {name}",
        name=name,
        client_id=client_id,
        client_secret=secret,
        token_endpoint=ctx.console.config.public_url.rstrip("/") + "/oauth/token",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def _named(ctx: Ctx) -> tuple[str, str]:
    """The id in the path and the service account's name (for the confirmation's question)."""
    account_id = ctx.request.path_params["id"]
    data = await ctx.api.service_accounts()  # the page's one query, its frame included
    ctx.framed(data.viewer)
    await _require_admin(ctx)
    edges = data.service_accounts.edges
    account = next((e.node for e in edges if e.node.id == account_id), None)
    if account is None:
        raise Refused(404)
    return account_id, account.name


@console_page
async def rotate_confirm(ctx: Ctx) -> Response:
    account_id, name = await _named(ctx)
    return await ctx.render(
        "confirm.html",
        title="Rotate secret",
        question=f"Replace the secret of {name}?",
        detail="The current secret and every token it obtained stop working at once; the "
        "systems using it need the new secret, shown once on the next page.",
        action=f"{HOME}/{account_id}/rotate",
        button="Rotate secret",
        back=HOME,
    )


@console_page
async def rotate(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    result = (
        await ctx.api.rotate_service_account_secret(
            ServiceAccountIdInput(id=ctx.request.path_params["id"])
        )
    ).rotate_service_account_secret
    if result.user_errors or result.client_secret is None or result.service_account is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not rotated.", "error")
        return ctx.redirect(HOME)
    account = result.service_account
    ctx.flash(f"The secret of {account.name} was replaced.")
    return await _secret_page(ctx, account.name, account.client_id, result.client_secret)


@console_page
async def revoke_confirm(ctx: Ctx) -> Response:
    account_id, name = await _named(ctx)
    return await ctx.render(
        "confirm.html",
        title="Revoke service account",
        question=f"Revoke {name}?",
        detail="Its secret and every token it holds stop working at once. This cannot be undone.",
        action=f"{HOME}/{account_id}/revoke",
        button="Revoke service account",
        back=HOME,
    )


@console_page
async def revoke(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    result = (
        await ctx.api.revoke_service_account(
            ServiceAccountIdInput(id=ctx.request.path_params["id"])
        )
    ).revoke_service_account
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("Service account revoked.")
    return ctx.redirect(HOME)
