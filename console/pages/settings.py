"""Settings: the organization's details (Super Admin and Admins), the two-factor and passkey
requirements and
deleting the organization (Super Admin; the API refuses others too)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from starlette.responses import Response

from console.api.enums import Role
from console.api.input_types import (
    DeleteOrganizationInput,
    SetOrganizationPasskeyRequirementInput,
    SetOrganizationTwoFactorRequirementInput,
    UpdateOrganizationInput,
)
from console.forms import field_errors
from console.web import Ctx, Refused, console_page, read_form

EDITORS = {Role.SUPER_ADMIN, Role.ADMIN}
BLOCKERS = (
    ("other_members", "member", "members"),
    ("devices", "device", "devices"),
    ("licenses", "license", "licenses"),
    ("pending_invitations", "pending invitation", "pending invitations"),
    ("partner_mappings", "partner", "partners"),
)


async def _role(ctx: Ctx) -> Role:
    return (await ctx.viewer()).role


@console_page
async def settings(ctx: Ctx) -> Response:
    data = (await ctx.api.settings()).viewer
    ctx.framed(data)
    kept = ctx.session.pop_form("organization")
    return await ctx.render(
        "settings.html",
        title="Settings",
        org=data.details,
        own_totp=data.totp_enabled,
        own_passkey=bool(data.passkeys),
        can_edit=data.role in EDITORS,
        is_super_admin=data.role is Role.SUPER_ADMIN,
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
    )


@console_page
async def update(ctx: Ctx) -> Response:
    if await _role(ctx) not in EDITORS:
        raise Refused(403)
    form = await read_form(ctx.request)
    typed = {n: str(form.get(n) or "")[:1000] for n in ("name", "address", "phone")}
    result = (
        await ctx.api.update_organization(
            UpdateOrganizationInput(
                name=typed["name"], address=typed["address"], phone=typed["phone"]
            )
        )
    ).update_organization
    if result.user_errors:
        names = {"name": "name", "address": "address", "phone": "phone"}
        ctx.keep_form("organization", typed, field_errors(result.user_errors, names))
    else:
        ctx.flash("Organization details saved.")
    return ctx.redirect("/settings")


class _Refusal(Protocol):
    message: str


class _RequirementResult(Protocol):
    @property
    def user_errors(self) -> Sequence[_Refusal]: ...


async def _set_requirement(
    ctx: Ctx,
    store: Callable[[bool], Awaitable[_RequirementResult]],
    *,
    now_required: str,
    no_longer_required: str,
) -> Response:
    """The two sign-in requirements' forms (two-factor login, passkeys): Super Admin only, a
    yes/no ``required``, the API's refusal or what changed as the flash message."""
    if await _role(ctx) is not Role.SUPER_ADMIN:
        raise Refused(403)
    form = await read_form(ctx.request)
    required = form.get("required") == "yes"
    result = await store(required)
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash(now_required if required else no_longer_required)
    return ctx.redirect("/settings")


@console_page
async def two_factor(ctx: Ctx) -> Response:
    async def store(required: bool) -> _RequirementResult:
        return (
            await ctx.api.set_two_factor_requirement(
                SetOrganizationTwoFactorRequirementInput(required=required)
            )
        ).set_organization_two_factor_requirement

    return await _set_requirement(
        ctx,
        store,
        now_required="Two-factor login is now required of every member, at their next login.",
        no_longer_required="Two-factor login is no longer required.",
    )


@console_page
async def passkeys(ctx: Ctx) -> Response:
    async def store(required: bool) -> _RequirementResult:
        return (
            await ctx.api.set_passkey_requirement(
                SetOrganizationPasskeyRequirementInput(required=required)
            )
        ).set_organization_passkey_requirement

    return await _set_requirement(
        ctx,
        store,
        now_required="Passkeys are now required of every member, at their next login.",
        no_longer_required="Passkeys are no longer required.",
    )


@console_page
async def delete_confirm(ctx: Ctx) -> Response:
    if await _role(ctx) is not Role.SUPER_ADMIN:
        raise Refused(403)
    kept = ctx.session.pop_form("delete")
    viewer = await ctx.viewer()
    return await ctx.render(
        "organization_delete.html",
        title="Delete organization",
        org_name=viewer.organization.name,
        errors=kept.get("errors", {}),
        blockers=kept.get("values", {}).get("blockers", []),
    )


@console_page
async def delete(ctx: Ctx) -> Response:
    if await _role(ctx) is not Role.SUPER_ADMIN:
        raise Refused(403)
    form = await read_form(ctx.request)
    viewer = await ctx.viewer()
    result = (
        await ctx.api.delete_organization(
            DeleteOrganizationInput(
                organization_id=viewer.organization.id,
                confirm_name=str(form.get("confirmName") or "")[:500],
            )
        )
    ).delete_organization
    if result.user_errors or not result.deleted_organization_id:
        errors = field_errors(result.user_errors, {"confirmName": "confirmName"})
        blockers = _blockers(result.remaining)
        if blockers:
            errors.pop("", None)
        ctx.keep_form("delete", {"blockers": blockers}, errors)  # type: ignore[dict-item]
        return ctx.redirect("/settings/delete")
    ctx.session.organization_id = None
    ctx.flash(f"{viewer.organization.name} was deleted.")
    return ctx.redirect("/")


def _blockers(remaining: Any) -> list[str]:
    if remaining is None:
        return []
    out = []
    for attribute, one, many in BLOCKERS:
        count = int(getattr(remaining, attribute))
        if count:
            out.append(f"{count} {one if count == 1 else many}")
    return out
