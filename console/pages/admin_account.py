"""An internal admin's own optional emails, on the Account page: the mail about every new
partner request (on unless turned off)."""

from __future__ import annotations

from starlette.responses import Response

from console.api.account import Account, AccountLandingAdminLanding
from console.api.input_types import UpdateAdminNotificationSettingsInput
from console.pages.admin_common import require_internal_admin
from console.web import Ctx, console_page, read_form


def notification_settings(data: Account) -> bool | None:
    """Whether the partner-request mail is on (read by the Account page's own query, through
    the admin's landing); None for anyone else, who has no such panel."""
    if isinstance(data.landing, AccountLandingAdminLanding):
        return data.landing.notification_settings.partner_request_mail
    return None


@console_page
async def update_notifications(ctx: Ctx) -> Response:
    await require_internal_admin(ctx)
    wanted = (await read_form(ctx.request)).get("partnerRequestMail") == "yes"
    result = (
        await ctx.api.update_admin_notification_settings(
            UpdateAdminNotificationSettingsInput(partner_request_mail=wanted)
        )
    ).update_admin_notification_settings
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    elif wanted:
        ctx.flash("You will get an email for every new partner request.")
    else:
        ctx.flash("You will no longer get an email for new partner requests.")
    return ctx.redirect("/account#notifications")
