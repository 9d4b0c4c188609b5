"""Every route of the console (``/`` and the pages under it, ``/console/*`` for its plumbing)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from console import auth
from console.config import CALLBACK_PATH, LOGOUT_PATH
from console.pages import (
    account,
    admin,
    customers,
    devices,
    home,
    licenses,
    locations,
    partner,
    passkeys,
    provisioning,
    service_accounts,
    settings,
    single_sign_on,
    users,
    webhooks,
)
from console.pages.admin_routes import admin_routes
from console.rendering import STATIC, STATIC_PATH

GET, POST = ["GET"], ["POST"]


def console_routes() -> list[BaseRoute]:
    return [
        Route(CALLBACK_PATH, auth.callback, methods=GET),
        Route(LOGOUT_PATH, auth.logout, methods=POST),
        Route("/console/organization", auth.switch_organization, methods=POST),
        Mount(STATIC_PATH, app=StaticFiles(directory=str(STATIC)), name="console-assets"),
        Route("/", home.home, methods=GET),
        Route("/devices", devices.device_list, methods=GET),
        Route("/devices/new", devices.register_form, methods=GET),
        Route("/devices/new", devices.register_submit, methods=POST),
        Route("/devices/{id}", devices.device_page, methods=GET),
        Route("/devices/{id}/rename", devices.device_rename, methods=POST),
        Route("/devices/{id}/move", devices.device_move, methods=POST),
        Route("/devices/{id}/licenses", devices.attach_license, methods=POST),
        Route("/devices/{id}/licenses/{license}/detach", devices.detach_license, methods=POST),
        Route("/devices/{id}/remove", devices.device_remove_confirm, methods=GET),
        Route("/devices/{id}/remove", devices.device_remove, methods=POST),
        Route("/locations", locations.location_list, methods=GET),
        Route("/locations/new", locations.location_form, methods=GET),
        Route("/locations/new", locations.location_create, methods=POST),
        Route("/locations/{id}", locations.location_page, methods=GET),
        Route("/locations/{id}", locations.location_update, methods=POST),
        Route("/locations/{id}/areas", locations.area_create, methods=POST),
        Route("/locations/{id}/areas/{area}/rename", locations.area_rename, methods=POST),
        Route("/locations/{id}/areas/{area}/move", locations.area_move, methods=POST),
        Route("/locations/{id}/areas/{area}/delete", locations.area_delete_confirm, methods=GET),
        Route("/locations/{id}/areas/{area}/delete", locations.area_delete, methods=POST),
        Route("/locations/{id}/delete", locations.location_delete_confirm, methods=GET),
        Route("/locations/{id}/delete", locations.location_delete, methods=POST),
        Route("/users", users.user_list, methods=GET),
        Route("/users/invite", users.invite_form, methods=GET),
        Route("/users/invite", users.invite_submit, methods=POST),
        Route("/users/{id}/role", users.change_role, methods=POST),
        Route("/users/{id}/remove", users.remove_confirm, methods=GET),
        Route("/users/{id}/remove", users.remove, methods=POST),
        Route("/users/{id}/transfer", users.transfer_confirm, methods=GET),
        Route("/users/{id}/transfer", users.transfer, methods=POST),
        Route("/invitations/{id}/resend", users.resend_invitation, methods=POST),
        Route("/invitations/{id}/cancel", users.cancel_invitation_confirm, methods=GET),
        Route("/invitations/{id}/cancel", users.cancel_invitation, methods=POST),
        Route("/licenses", licenses.license_list, methods=GET),
        Route("/licenses/add", licenses.add_form, methods=GET),
        Route("/licenses/add", licenses.add_submit, methods=POST),
        Route("/partner-requests/{id}/approve", admin.approve, methods=POST),
        Route("/partner-requests/{id}/reject", admin.reject_form, methods=GET),
        Route("/partner-requests/{id}/reject", admin.reject, methods=POST),
        Route("/customers/new", customers.new_form, methods=GET),
        Route("/customers/new", customers.create, methods=POST),
        Route("/customers/invitations", customers.invitations, methods=GET),
        Route(
            "/customers/invitations/{id}/{answer:str}",
            customers.answer_invitation,
            methods=POST,
        ),
        Route("/customers/{id}", customers.customer_page, methods=GET),
        Route("/customers/{id}/extension", customers.request_extension, methods=POST),
        Route("/customers/{id}/technicians", customers.assign, methods=POST),
        Route(
            "/customers/{id}/technicians/{user}/unassign", customers.unassign_confirm, methods=GET
        ),
        Route("/customers/{id}/technicians/{user}/unassign", customers.unassign, methods=POST),
        Route("/partner", partner.partner_page, methods=GET),
        Route("/partner", partner.invite_partner, methods=POST),
        Route("/partner/{id}/access", partner.update_access, methods=POST),
        Route("/partner/{id}/extension/{answer:str}", partner.answer_extension, methods=POST),
        Route("/partner/{id}/end", partner.end_confirm, methods=GET),
        Route("/partner/{id}/end", partner.end, methods=POST),
        Route("/audit-log", partner.audit_log, methods=GET),
        Route("/account", account.account, methods=GET),
        Route("/account/profile", account.update_profile, methods=POST),
        Route("/account/password", account.change_password, methods=POST),
        Route("/account/two-factor", account.two_factor_setup, methods=GET),
        Route("/account/two-factor", account.start_two_factor, methods=POST),
        Route("/account/two-factor/confirm", account.confirm_two_factor, methods=POST),
        Route("/account/two-factor/disable", account.disable_two_factor, methods=POST),
        Route("/account/recovery-codes", account.regenerate_codes, methods=POST),
        Route("/account/passkeys", passkeys.finish, methods=POST),
        Route("/account/passkeys/new", passkeys.new, methods=GET),
        Route("/account/passkeys/new", passkeys.start, methods=POST),
        Route("/account/passkeys/{id}/rename", passkeys.rename, methods=POST),
        Route("/account/passkeys/{id}/remove", passkeys.remove_confirm, methods=GET),
        Route("/account/passkeys/{id}/remove", passkeys.remove, methods=POST),
        Route("/account/sessions/others/end", account.end_other_sessions, methods=POST),
        Route("/account/sessions/{id}/end", account.end_session, methods=POST),
        Route(
            "/account/invitations/{id}/{answer:str}",
            account.answer_invitation,
            methods=POST,
        ),
        Route("/settings", settings.settings, methods=GET),
        Route("/settings", settings.update, methods=POST),
        Route("/settings/two-factor", settings.two_factor, methods=POST),
        Route("/settings/passkeys", settings.passkeys, methods=POST),
        Route("/settings/delete", settings.delete_confirm, methods=GET),
        Route("/settings/delete", settings.delete, methods=POST),
        Route("/settings/service-accounts", service_accounts.service_account_list, methods=GET),
        Route("/settings/service-accounts/new", service_accounts.create_form, methods=GET),
        Route("/settings/service-accounts/new", service_accounts.create, methods=POST),
        Route(
            "/settings/service-accounts/{id}/rotate", service_accounts.rotate_confirm, methods=GET
        ),
        Route("/settings/service-accounts/{id}/rotate", service_accounts.rotate, methods=POST),
        Route(
            "/settings/service-accounts/{id}/revoke", service_accounts.revoke_confirm, methods=GET
        ),
        Route("/settings/service-accounts/{id}/revoke", service_accounts.revoke, methods=POST),
        Route("/settings/webhooks", webhooks.endpoint_list, methods=GET),
        Route("/settings/webhooks/new", webhooks.new_form, methods=GET),
        Route("/settings/webhooks/new", webhooks.create, methods=POST),
        Route("/settings/webhooks/{id}", webhooks.endpoint_page, methods=GET),
        Route("/settings/webhooks/{id}/enabled", webhooks.set_enabled, methods=POST),
        Route("/settings/webhooks/{id}/rotate", webhooks.rotate_confirm, methods=GET),
        Route("/settings/webhooks/{id}/rotate", webhooks.rotate, methods=POST),
        Route("/settings/webhooks/{id}/delete", webhooks.delete_confirm, methods=GET),
        Route("/settings/webhooks/{id}/delete", webhooks.delete, methods=POST),
        Route(
            "/settings/webhooks/{id}/deliveries/{delivery}/replay",
            webhooks.replay,
            methods=POST,
        ),
        Route("/settings/provisioning", provisioning.provisioning, methods=GET),
        Route("/settings/provisioning/new", provisioning.replace_confirm, methods=GET),
        Route("/settings/provisioning/new", provisioning.create, methods=POST),
        Route("/settings/provisioning/revoke", provisioning.revoke_confirm, methods=GET),
        Route("/settings/provisioning/revoke", provisioning.revoke, methods=POST),
        *single_sign_on_routes(),
        *admin_routes(),
    ]


def single_sign_on_routes() -> list[BaseRoute]:
    home, sso = "/settings/single-sign-on", single_sign_on
    return [
        Route(home, sso.single_sign_on, methods=GET),
        Route(f"{home}/domains", sso.claim, methods=POST),
        Route(f"{home}/domains/{{id}}/verify", sso.verify, methods=POST),
        Route(f"{home}/domains/{{id}}/remove", sso.remove_domain_confirm, methods=GET),
        Route(f"{home}/domains/{{id}}/remove", sso.remove_domain, methods=POST),
        Route(f"{home}/connection", sso.configure, methods=POST),
        Route(f"{home}/test", sso.test, methods=POST),
        Route(f"{home}/remove", sso.remove_confirm, methods=GET),
        Route(f"{home}/remove", sso.remove, methods=POST),
    ]
