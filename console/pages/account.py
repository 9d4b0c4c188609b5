"""Account: the person's own names, password, passkeys (console/pages/passkeys.py), two-factor
login and the invitations they received.

Passwords and codes are read as typed (never trimmed). The TOTP secret of an enrollment in
progress waits in the (sealed) console session between "Set up" and the confirming code, and is
dropped once confirmed; recovery codes are shown once, in the answer to the POST that made them.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from console.api.input_types import (
    AcceptInvitationInput,
    ChangePasswordInput,
    ConfirmTotpEnrollmentInput,
    DeclineInvitationInput,
    EndSessionInput,
    StartTotpEnrollmentInput,
    TwoFactorProofInput,
    UpdateProfileInput,
)
from console.forms import field_errors, values
from console.pages import admin_account
from console.web import Ctx, Refused, console_page, read_form

SETUP = "totp_setup"
MAX_SECRET_INPUT = 1024


def _raw(form: FormData, name: str) -> str:
    """A password or code as typed (bounded; never trimmed: spaces may be part of it)."""
    return str(form.get(name) or "")[:MAX_SECRET_INPUT]


def _qr_code(uri: str) -> str:
    """The otpauth URI as a QR code, an SVG ``data:`` URI (the CSP allows ``data:`` images)."""
    import segno

    data_uri: str = segno.make(uri, error="m").svg_data_uri(scale=4, border=2)
    return data_uri


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_of(user_agent: str | None) -> str:
    """ "Firefox on Windows" from a user agent (a label, not a fingerprint); "Unknown device"."""
    if not user_agent:
        return "Unknown device"
    browser = next((name for key, name in _BROWSERS if key in user_agent), None)
    if browser is None and "Safari/" in user_agent:
        browser = "Safari"
    system = next((name for key, name in _SYSTEMS if key in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or user_agent[:60]


def _proof(form: FormData, prefix: str) -> TwoFactorProofInput:
    code, password = _raw(form, f"{prefix}Code").strip(), _raw(form, f"{prefix}Password")
    return TwoFactorProofInput(code=code or None, password=password or None)


@console_page
async def account(ctx: Ctx) -> Response:
    data = await ctx.api.account()
    ctx.framed(data.viewer)
    names: tuple[str, ...] = ("profile", "password", "totp", "disable", "regenerate")
    names += tuple(f"rename-{p.id}" for p in data.viewer.passkeys)
    forms = {name: ctx.session.pop_form(name) for name in names}
    return await ctx.render(
        "account.html",
        title="Account",
        me=data.viewer,
        invitations=data.my_invitations,
        sessions=data.viewer.sessions,
        passkeys=data.viewer.passkeys,
        device_of=device_of,
        setup_pending=SETUP in ctx.session.form,
        forms={n: (f.get("values", {}), f.get("errors", {})) for n, f in forms.items()},
        admin_notifications=admin_account.notification_settings(data),
    )


@console_page
async def update_profile(ctx: Ctx) -> Response:
    form = values(await read_form(ctx.request), "firstName", "lastName")
    result = (
        await ctx.api.update_profile(
            UpdateProfileInput(first_name=form["firstName"], last_name=form["lastName"])
        )
    ).update_profile
    if result.user_errors:
        ctx.keep_form("profile", form, field_errors(result.user_errors, _same(form)))
    else:
        ctx.flash("Your name was saved.")
    return ctx.redirect("/account")


@console_page
async def change_password(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    current, new, again = (
        _raw(form, "currentPassword"),
        _raw(form, "newPassword"),
        _raw(form, "confirmPassword"),
    )
    if new != again:
        ctx.keep_form("password", {}, {"confirmPassword": "The two new passwords differ."})
        return ctx.redirect("/account#password")
    result = (
        await ctx.api.change_password(
            ChangePasswordInput(current_password=current, new_password=new)
        )
    ).change_password
    if result.user_errors:
        errors = field_errors(
            result.user_errors,
            {"currentPassword": "currentPassword", "newPassword": "newPassword"},
        )
        ctx.keep_form("password", {}, errors)
        return ctx.redirect("/account#password")
    # Every other session ended; this one stays, but the access token it holds carries the old
    # security stamp: the session's refresh token (kept by the API) gets a fresh pair now.
    tokens = ctx.session.tokens
    fresh = await ctx.console.provider.refresh(tokens) if tokens is not None else None
    if fresh is None:
        return await _signed_out(ctx)
    ctx.session.tokens = fresh
    ctx.session.dirty = True
    ctx.flash("Your password was changed. Every other session of your account is signed out.")
    return ctx.redirect("/account#password")


async def _signed_out(ctx: Ctx) -> Response:
    """The session could not be renewed (it ended meanwhile): sign in with the new password."""
    console = ctx.console
    await console.sessions.end(ctx.session)
    ctx.session.dirty = False
    response = console.pages.render(
        "signed_out.html",
        title="Password changed",
        text="Your password has been changed. Sign in with your new password.",
    )
    console.sessions.clear_cookie(response)
    ctx.session.fresh = False
    return response


@console_page
async def start_two_factor(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    result = (
        await ctx.api.start_totp_enrollment(
            StartTotpEnrollmentInput(password=_raw(form, "totpPassword"))
        )
    ).start_totp_enrollment
    if result.user_errors or not result.secret or not result.otpauth_uri:
        errors = field_errors(result.user_errors, {"password": "totpPassword"})
        ctx.keep_form("totp", {}, errors)
        return ctx.redirect("/account#two-factor")
    ctx.session.form[SETUP] = {"secret": result.secret, "uri": result.otpauth_uri}
    ctx.session.dirty = True
    return ctx.redirect("/account/two-factor")


@console_page
async def two_factor_setup(ctx: Ctx) -> Response:
    setup: dict[str, Any] | None = ctx.session.form.get(SETUP)
    if not setup:
        return ctx.redirect("/account#two-factor")
    kept = ctx.session.pop_form("confirm")
    return await ctx.render(
        "two_factor_setup.html",
        title="Set up two-factor login",
        secret=_grouped(setup["secret"]),
        uri=setup["uri"],
        qr=_qr_code(setup["uri"]),
        errors=kept.get("errors", {}),
    )


@console_page
async def confirm_two_factor(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    result = (
        await ctx.api.confirm_totp_enrollment(
            ConfirmTotpEnrollmentInput(code=_raw(form, "code").strip())
        )
    ).confirm_totp_enrollment
    if result.user_errors or not result.recovery_codes:
        ctx.keep_form("confirm", {}, field_errors(result.user_errors, {"code": "code"}))
        return ctx.redirect("/account/two-factor")
    ctx.session.form.pop(SETUP, None)
    ctx.session.dirty = True
    return await ctx.render(
        "recovery_codes.html",
        title="Recovery codes",
        heading="Two-factor login is on",
        codes=result.recovery_codes,
    )


@console_page
async def disable_two_factor(ctx: Ctx) -> Response:
    proof = _proof(await read_form(ctx.request), "disable")
    result = (await ctx.api.disable_totp(proof)).disable_totp
    if result.user_errors:
        ctx.keep_form("disable", {}, _proof_errors(result.user_errors, "disable"))
    else:
        ctx.flash("Two-factor login is off.")
    return ctx.redirect("/account#two-factor")


@console_page
async def regenerate_codes(ctx: Ctx) -> Response:
    proof = _proof(await read_form(ctx.request), "regenerate")
    result = (await ctx.api.regenerate_recovery_codes(proof)).regenerate_recovery_codes
    if result.user_errors or not result.recovery_codes:
        ctx.keep_form("regenerate", {}, _proof_errors(result.user_errors, "regenerate"))
        return ctx.redirect("/account#two-factor")
    return await ctx.render(
        "recovery_codes.html",
        title="Recovery codes",
        heading="New recovery codes",
        codes=result.recovery_codes,
    )


@console_page
async def answer_invitation(ctx: Ctx) -> Response:
    invitation_id = ctx.request.path_params["id"]
    answer = ctx.request.path_params["answer"]
    if answer not in {"accept", "decline"}:
        raise Refused(404)
    if answer == "accept":
        accepted = (
            await ctx.api.accept_invitation(AcceptInvitationInput(invitation_id=invitation_id))
        ).accept_invitation
        problems, done = (
            accepted.user_errors,
            "Invitation accepted: the organization is in your list.",
        )
    else:
        declined = (
            await ctx.api.decline_invitation(DeclineInvitationInput(invitation_id=invitation_id))
        ).decline_invitation
        problems, done = declined.user_errors, "Invitation declined."
    ctx.flash(problems[0].message if problems else done, "error" if problems else "ok")
    return ctx.redirect("/account#invitations")


def _proof_errors(problems: list[Any], prefix: str) -> dict[str, str]:
    errors = field_errors(problems, {"code": f"{prefix}Code", "password": f"{prefix}Password"})
    if "" in errors and f"{prefix}Code" not in errors:  # REQUIRED names no field: ask for a code
        errors[f"{prefix}Code"] = errors.pop("")
    return errors


def _same(form: dict[str, str]) -> dict[str, str]:
    return {name: name for name in form}


@console_page
async def end_session(ctx: Ctx) -> Response:
    result = (
        await ctx.api.end_session(EndSessionInput(id=ctx.request.path_params["id"]))
    ).end_session
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("That session is signed out.")
    return ctx.redirect("/account#sessions")


@console_page
async def end_other_sessions(ctx: Ctx) -> Response:
    result = (await ctx.api.end_other_sessions()).end_other_sessions
    count = result.ended_count
    ctx.flash(f"{count} other session{'' if count == 1 else 's'} signed out.")
    return ctx.redirect("/account#sessions")
