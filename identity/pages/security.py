"""Response headers for hosted pages and for responses that carry codes or tokens in a URL."""

from __future__ import annotations

from settings import Settings

# No script at all; styles only from our own stylesheet; never framed.
# There is deliberately no ``form-action``: Chrome applies it to the redirects that follow a form
# submission, and the login form's answer redirects (through /authorize) to the client's
# registered redirect URI, which is on another origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=63072000; includeSubDomains"


def page_headers(settings: Settings) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        # Our URLs carry authorization requests (state, nonce), activation and reset tokens:
        # they must never leak to another site through the Referer header.
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if settings.production:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def redirect_headers(settings: Settings) -> dict[str, str]:
    """For redirects whose Location holds a code or a token."""
    headers = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
    if settings.production:
        headers["Strict-Transport-Security"] = HSTS
    return headers


# The pages that offer passkeys (identity/pages/passkeys.py) run one script of ours,
# /assets/passkeys.js, which asks the server for the ceremony's options: script and fetch from our
# own origin only, still no inline script.
PASSKEY_CONTENT_SECURITY_POLICY = (
    CONTENT_SECURITY_POLICY + "; script-src 'self'; connect-src 'self'"
)
