"""The hosted pages' paths, by name, for templates (``url('login')``) and redirects.

Pages built by other areas add their names here; a link may point at a page that a later change
provides.
"""

from __future__ import annotations

PAGE_PATHS: dict[str, str] = {
    "login": "/login",
    "login_totp": "/login/totp",
    "login_totp_setup": "/login/totp/setup",
    "login_passkey": "/login/passkey",
    "login_passkey_options": "/login/passkey/options",
    "login_passkey_verify": "/login/passkey/verify",
    "login_passkey_verify_options": "/login/passkey/verify/options",
    "login_passkey_setup": "/login/passkey/setup",
    "login_passkey_setup_options": "/login/passkey/setup/options",
    "logout": "/logout",
    "consent": "/consent",
    "register": "/register",
    "partner_join": "/partner/join",
    "check_email": "/check-email",
    "forgot_password": "/forgot-password",
    "reset_password": "/reset-password",
    "activate": "/activate",
    "resend_activation": "/activate/resend",
    "terms": "/legal/terms",
    "privacy": "/legal/privacy",
    "sso_callback": "/sso/callback",
}

ASSETS_PATH = "/assets"
