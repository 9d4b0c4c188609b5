"""Users: members (change role, remove), pending invitations (resend, cancel), invite."""

from __future__ import annotations

from starlette.responses import Response

from console.api.enums import Role, UserStatus
from console.api.input_types import (
    CancelInvitationInput,
    ChangeMemberRoleInput,
    InviteMemberInput,
    RemoveMemberInput,
    ResendInvitationInput,
    TransferSuperAdminInput,
)
from console.api.users import UsersViewerWorkingMembersEdges, UsersViewerWorkingMembersEdgesNode
from console.forms import field_errors, values
from console.web import Ctx, Refused, console_page, read_form

ROLES = [("ADMIN", "Admin"), ("USER", "User")]
ROLE_LABELS = {
    "SUPER_ADMIN": "Super Admin",
    "ADMIN": "Admin",
    "USER": "User",
    "TECHNICIAN": "Installer",
    "INTERNAL_ADMIN": "Internal admin",
}


# Said wherever a change to a provisioned member is made (the API allows it, as it should: an
# urgent removal must not wait for the directory's administrator).
DIRECTORY_SYNC = (
    "Your company directory manages this member: its next sync may set the role back. "
    "Change it in the directory to make it last."
)


def member_status(member: UsersViewerWorkingMembersEdgesNode) -> tuple[str, str]:
    """The Status column: (label, badge class). A membership the directory deactivated is not
    active, whatever the account's own status."""
    if member.suspended_at is not None:
        return "Suspended by your directory", "warn"
    if member.status is UserStatus.PENDING:
        return "Pending activation", "waiting"
    if member.status is UserStatus.DISABLED:
        return "Disabled", "warn"
    return "Active", ""


def _role(value: str) -> Role | None:
    return Role(value) if value in {"ADMIN", "USER"} else None


@console_page
async def user_list(ctx: Ctx) -> Response:
    data = await ctx.api.users()
    ctx.framed(data.viewer)
    members = [edge.node for edge in data.viewer.working.members.edges]
    return await ctx.render(
        "users.html",
        title="Users",
        members=members,
        statuses={m.id: member_status(m) for m in members},
        any_provisioned=any(m.provisioned for m in members),
        invitations=[edge.node for edge in data.invitations.edges],
        roles=ROLES,
        role_labels=ROLE_LABELS,
        is_super_admin=data.viewer.role is Role.SUPER_ADMIN,
    )


@console_page
async def invite_form(ctx: Ctx) -> Response:
    await ctx.require_manager()
    kept = ctx.session.pop_form("invite")
    return await ctx.render(
        "invite.html",
        title="Invite user",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        roles=ROLES,
    )


@console_page
async def invite_submit(ctx: Ctx) -> Response:
    await ctx.require_manager()
    form = values(await read_form(ctx.request), "email", "role")
    role = _role(form["role"])
    if role is None:
        ctx.keep_form("invite", form, {"role": "Choose a role."})
        return ctx.redirect("/users/invite")
    result = (
        await ctx.api.invite_member(InviteMemberInput(email=form["email"], role=role))
    ).invite_member
    if result.user_errors:
        errors = field_errors(result.user_errors, {"email": "email", "role": "role"})
        ctx.keep_form("invite", form, errors)
        return ctx.redirect("/users/invite")
    ctx.flash(f"Invitation sent to {form['email']}.")
    return ctx.redirect("/users")


@console_page
async def change_role(ctx: Ctx) -> Response:
    await ctx.require_manager()
    form = values(await read_form(ctx.request), "role")
    role = _role(form["role"])
    if role is None:
        ctx.flash("Choose a role.", "error")
        return ctx.redirect("/users")
    result = (
        await ctx.api.change_member_role(
            ChangeMemberRoleInput(user_id=ctx.request.path_params["id"], role=role)
        )
    ).change_member_role
    done = "Role changed."
    if result.member is not None and result.member.provisioned:
        done += f" {DIRECTORY_SYNC}"
    _report(ctx, result.user_errors, done)
    return ctx.redirect("/users")


@console_page
async def remove_confirm(ctx: Ctx) -> Response:
    members = await _members(ctx)
    await ctx.require_manager()
    user_id = ctx.request.path_params["id"]
    member = next((m.node for m in members if m.node.user.id == user_id), None)
    who = member.user.email if member else "this member"
    detail = "Their access ends with their next request."
    if member is not None and member.provisioned:
        detail += (
            " Your company directory manages this member: unless it removes them too, its next "
            "sync adds them again. To keep them out, remove them in the directory."
        )
    return await ctx.render(
        "confirm.html",
        title="Remove user",
        question=f"Remove {who} from the organization?",
        detail=detail,
        action=f"/users/{user_id}/remove",
        button="Remove user",
        back="/users",
    )


@console_page
async def remove(ctx: Ctx) -> Response:
    await ctx.require_manager()
    result = (
        await ctx.api.remove_member(RemoveMemberInput(user_id=ctx.request.path_params["id"]))
    ).remove_member
    _report(ctx, result.user_errors, "User removed.")
    return ctx.redirect("/users")


@console_page
async def resend_invitation(ctx: Ctx) -> Response:
    await ctx.require_manager()
    result = (
        await ctx.api.resend_invitation(
            ResendInvitationInput(invitation_id=ctx.request.path_params["id"])
        )
    ).resend_invitation
    _report(ctx, result.user_errors, "Invitation sent again.")
    return ctx.redirect("/users")


@console_page
async def cancel_invitation_confirm(ctx: Ctx) -> Response:
    data = await ctx.api.users()
    ctx.framed(data.viewer)
    await ctx.require_manager()
    invitation_id = ctx.request.path_params["id"]
    invitation = next((e.node for e in data.invitations.edges if e.node.id == invitation_id), None)
    if invitation is None:
        raise Refused(404)
    return await ctx.render(
        "confirm.html",
        title="Cancel invitation",
        question=f"Cancel the invitation of {invitation.email}?",
        detail="The link they received stops working. You can invite them again later.",
        action=f"/invitations/{invitation.id}/cancel",
        button="Cancel invitation",
        back="/users",
    )


@console_page
async def cancel_invitation(ctx: Ctx) -> Response:
    await ctx.require_manager()
    result = (
        await ctx.api.cancel_invitation(
            CancelInvitationInput(invitation_id=ctx.request.path_params["id"])
        )
    ).cancel_invitation
    _report(ctx, result.user_errors, "Invitation cancelled.")
    return ctx.redirect("/users")


@console_page
async def transfer_confirm(ctx: Ctx) -> Response:
    members = await _members(ctx)
    if (await ctx.viewer()).role is not Role.SUPER_ADMIN:
        raise Refused(403)
    user_id = ctx.request.path_params["id"]
    member = next((m.node for m in members if m.node.user.id == user_id), None)
    if member is None or member.role is not Role.ADMIN:
        raise Refused(404)
    return await ctx.render(
        "confirm.html",
        title="Transfer Super Admin",
        question=f"Make {member.user.email} the Super Admin?",
        detail="There is one Super Admin: you become an Admin, and only the new Super Admin can "
        "give the role back.",
        action=f"/users/{user_id}/transfer",
        button="Transfer Super Admin",
        back="/users",
    )


@console_page
async def transfer(ctx: Ctx) -> Response:
    if (await ctx.viewer()).role is not Role.SUPER_ADMIN:
        raise Refused(403)
    result = (
        await ctx.api.transfer_super_admin(
            TransferSuperAdminInput(user_id=ctx.request.path_params["id"])
        )
    ).transfer_super_admin
    _report(ctx, result.user_errors, "Super Admin transferred: you are an Admin now.")
    return ctx.redirect("/users")


async def _members(ctx: Ctx) -> list[UsersViewerWorkingMembersEdges]:
    """The Users page's one query, for the confirmations that name the member."""
    data = await ctx.api.users()
    ctx.framed(data.viewer)
    return data.viewer.working.members.edges


def _report(ctx: Ctx, problems: list, done: str) -> None:  # type: ignore[type-arg]
    if problems:
        ctx.flash(problems[0].message, "error")
    else:
        ctx.flash(done)
