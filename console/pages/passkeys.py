"""Account → Passkeys: add (the WebAuthn ceremony in the browser, its options and the answer
through the API), rename, remove.

"Add a passkey" posts to ``/account/passkeys/new``: the console asks the API for the creation
options (``startPasskeyRegistration``; the challenge is stored by the API, single use) and keeps
them in the console session for the page that follows, which carries them in a ``data-``
attribute for /assets/passkeys.js (no inline script; the console's CSP allows no fetch either).
The browser's credential comes back in an ordinary form post, with the name, and goes to
``finishPasskeyRegistration``. Without JavaScript the form posts no credential and says why.
"""

from __future__ import annotations

from starlette.responses import Response

from console.api.input_types import (
    FinishPasskeyRegistrationInput,
    RemovePasskeyInput,
    RenamePasskeyInput,
)
from console.forms import field_errors
from console.pages.account import device_of
from console.web import Ctx, console_page, read_form

SETUP = "passkey_setup"
MAX_CREDENTIAL = 64 * 1024
MAX_NAME = 200
BACK = "/account#passkeys"
NO_CREDENTIAL = (
    "Your browser created no passkey. Adding one needs JavaScript and a browser or device that "
    "supports passkeys."
)


@console_page
async def start(ctx: Ctx) -> Response:
    result = (await ctx.api.start_passkey_registration()).start_passkey_registration
    if result.user_errors or not result.options_json:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Try again.", "error")
        return ctx.redirect(BACK)
    ctx.session.form[SETUP] = {"options": result.options_json}
    ctx.session.dirty = True
    return ctx.redirect("/account/passkeys/new")


@console_page
async def new(ctx: Ctx) -> Response:
    setup = ctx.session.form.get(SETUP)
    if not setup:
        return ctx.redirect(BACK)
    kept = ctx.session.pop_form("passkey")
    values, errors = kept.get("values", {}), kept.get("errors", {})
    return await ctx.render(
        "passkey_new.html",
        title="Add a passkey",
        options=setup["options"],
        name=values.get("name") or device_of(ctx.request.headers.get("user-agent")),
        errors=errors,
    )


@console_page
async def finish(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    credential = str(form.get("credential") or "")[:MAX_CREDENTIAL]
    name = str(form.get("name") or "")[:MAX_NAME]
    if not credential:
        ctx.keep_form("passkey", {"name": name}, {"credential": NO_CREDENTIAL})
        return ctx.redirect("/account/passkeys/new")
    result = (
        await ctx.api.finish_passkey_registration(
            FinishPasskeyRegistrationInput(credential=credential, name=name or None)
        )
    ).finish_passkey_registration
    if result.user_errors or result.passkey is None:
        errors = field_errors(result.user_errors, {"name": "name", "credential": "credential"})
        if any(e.code == "PASSKEY_CEREMONY_EXPIRED" for e in result.user_errors):
            # That challenge is spent or old: a new attempt starts from the Account page.
            ctx.session.form.pop(SETUP, None)
            ctx.flash(errors.get("credential") or "Start again.", "error")
            return ctx.redirect(BACK)
        ctx.keep_form("passkey", {"name": name}, errors)
        return ctx.redirect("/account/passkeys/new")
    ctx.session.form.pop(SETUP, None)
    ctx.session.dirty = True
    ctx.flash(f"Passkey “{result.passkey.name}” added. It signs you in without a password.")
    return ctx.redirect(BACK)


@console_page
async def rename(ctx: Ctx) -> Response:
    form = await read_form(ctx.request)
    passkey_id = ctx.request.path_params["id"]
    result = (
        await ctx.api.rename_passkey(
            RenamePasskeyInput(id=passkey_id, name=str(form.get("name") or "")[:MAX_NAME])
        )
    ).rename_passkey
    if result.user_errors:
        ctx.keep_form(f"rename-{passkey_id}", {}, {"name": result.user_errors[0].message})
    else:
        ctx.flash("Passkey renamed.")
    return ctx.redirect(BACK)


@console_page
async def remove_confirm(ctx: Ctx) -> Response:
    passkey_id = ctx.request.path_params["id"]
    viewer = (await ctx.api.account()).viewer
    ctx.framed(viewer)
    passkey = next((p for p in viewer.passkeys if p.id == passkey_id), None)
    if passkey is None:
        ctx.flash("That passkey is gone already.", "error")
        return ctx.redirect(BACK)
    return await ctx.render(
        "confirm.html",
        title="Remove passkey",
        question=f"Remove the passkey “{passkey.name}”?",
        detail="It stops signing you in at once. The copy on your device stays there: delete it "
        "in your device's or password manager's settings too.",
        action=f"/account/passkeys/{passkey_id}/remove",
        button="Remove passkey",
        back=BACK,
    )


@console_page
async def remove(ctx: Ctx) -> Response:
    result = (
        await ctx.api.remove_passkey(RemovePasskeyInput(id=ctx.request.path_params["id"]))
    ).remove_passkey
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("Passkey removed.")
    return ctx.redirect(BACK)
