"""Every route of the identity provider: OIDC endpoints, hosted pages and their stylesheet."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from identity.oauth.routes import oauth_routes
from identity.pages import passkeys
from identity.pages.activate import activate_page, activate_submit
from identity.pages.check_email import check_email_page
from identity.pages.consent import consent_page, consent_submit
from identity.pages.legal import privacy_page, terms_page
from identity.pages.login import login_page, login_submit
from identity.pages.password_reset import (
    forgot_password_page,
    forgot_password_submit,
    reset_password_page,
    reset_password_submit,
)
from identity.pages.rendering import STATIC_DIR
from identity.pages.resend import resend_page, resend_submit
from identity.pages.signup import (
    partner_join_page,
    partner_join_submit,
    register_page,
    register_submit,
)
from identity.pages.sso import sso_callback
from identity.pages.two_factor import (
    totp_page,
    totp_setup_page,
    totp_setup_submit,
    totp_submit,
)
from identity.pages.urls import ASSETS_PATH, PAGE_PATHS


def identity_routes() -> list[BaseRoute]:
    return [
        *oauth_routes(),
        Route(PAGE_PATHS["login"], login_page, methods=["GET"]),
        Route(PAGE_PATHS["login"], login_submit, methods=["POST"]),
        Route(PAGE_PATHS["login_totp"], totp_page, methods=["GET"]),
        Route(PAGE_PATHS["login_totp"], totp_submit, methods=["POST"]),
        Route(PAGE_PATHS["login_totp_setup"], totp_setup_page, methods=["GET"]),
        Route(PAGE_PATHS["login_totp_setup"], totp_setup_submit, methods=["POST"]),
        Route(PAGE_PATHS["login_passkey_options"], passkeys.sign_in_options, methods=["POST"]),
        Route(PAGE_PATHS["login_passkey"], passkeys.sign_in, methods=["POST"]),
        Route(
            PAGE_PATHS["login_passkey_verify_options"], passkeys.verify_options, methods=["POST"]
        ),
        Route(PAGE_PATHS["login_passkey_verify"], passkeys.verify, methods=["POST"]),
        Route(PAGE_PATHS["login_passkey_setup"], passkeys.setup_page, methods=["GET"]),
        Route(PAGE_PATHS["login_passkey_setup_options"], passkeys.setup_options, methods=["POST"]),
        Route(PAGE_PATHS["login_passkey_setup"], passkeys.setup_submit, methods=["POST"]),
        Route(PAGE_PATHS["consent"], consent_page, methods=["GET"]),
        Route(PAGE_PATHS["consent"], consent_submit, methods=["POST"]),
        Route(PAGE_PATHS["activate"], activate_page, methods=["GET"]),
        Route(PAGE_PATHS["activate"], activate_submit, methods=["POST"]),
        Route(PAGE_PATHS["forgot_password"], forgot_password_page, methods=["GET"]),
        Route(PAGE_PATHS["forgot_password"], forgot_password_submit, methods=["POST"]),
        Route(PAGE_PATHS["reset_password"], reset_password_page, methods=["GET"]),
        Route(PAGE_PATHS["reset_password"], reset_password_submit, methods=["POST"]),
        Route(PAGE_PATHS["resend_activation"], resend_page, methods=["GET"]),
        Route(PAGE_PATHS["resend_activation"], resend_submit, methods=["POST"]),
        Route(PAGE_PATHS["register"], register_page, methods=["GET"]),
        Route(PAGE_PATHS["register"], register_submit, methods=["POST"]),
        Route(PAGE_PATHS["partner_join"], partner_join_page, methods=["GET"]),
        Route(PAGE_PATHS["partner_join"], partner_join_submit, methods=["POST"]),
        Route(PAGE_PATHS["check_email"], check_email_page, methods=["GET"]),
        Route(PAGE_PATHS["terms"], terms_page, methods=["GET"]),
        Route(PAGE_PATHS["privacy"], privacy_page, methods=["GET"]),
        Route(PAGE_PATHS["sso_callback"], sso_callback, methods=["GET"]),
        Mount(ASSETS_PATH, app=StaticFiles(directory=str(STATIC_DIR)), name="assets"),
    ]
