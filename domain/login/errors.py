"""The hosted login's answers (stable: the login page and its tests switch on them).

The password step answers one of these instead of raising; every failure is the same ``INVALID``
(domain.login.service says why), an account that may not act now is ``NOT_ALLOWED``.
"""

from __future__ import annotations

from enum import StrEnum


class LoginResult(StrEnum):
    OK = "OK"
    INVALID = "INVALID"
    NOT_ALLOWED = "NOT_ALLOWED"
    # The password was right; a second factor must follow: a TOTP code (or recovery code), or a
    # passkey (an account with TOTP, or with a passkey when an organization requires two
    # factors).
    TOTP_REQUIRED = "TOTP_REQUIRED"
    # The password was right; an organization requires two-factor login and the account has
    # no TOTP yet: it must set one up before the login completes (a "required action").
    TOTP_ENROLLMENT_REQUIRED = "TOTP_ENROLLMENT_REQUIRED"
    # The password was right; an organization requires phishing-resistant sign-in: a passkey of
    # the account must follow, or — when it has none yet — be added before the login completes.
    PASSKEY_REQUIRED = "PASSKEY_REQUIRED"
    PASSKEY_ENROLLMENT_REQUIRED = "PASSKEY_ENROLLMENT_REQUIRED"
