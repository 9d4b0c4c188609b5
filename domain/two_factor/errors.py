"""The stable codes of two-factor login's userErrors."""

from __future__ import annotations

INVALID_TOTP_CODE = "INVALID_TOTP_CODE"
INVALID_PASSWORD = "INVALID_PASSWORD"  # noqa: S105 (an error code)
TOTP_ALREADY_ENABLED = "TOTP_ALREADY_ENABLED"
TOTP_NOT_ENABLED = "TOTP_NOT_ENABLED"
TOTP_ENROLLMENT_NOT_STARTED = "TOTP_ENROLLMENT_NOT_STARTED"
REQUIRED = "REQUIRED"

INVALID_CODE_MESSAGE = "That code is not valid. Enter the current code from your authenticator app."
