"""The accounts area's userError codes (stable: clients switch on them): the forms' fields, the
password policy, activation codes and reset links, the viewer's own account.

``REQUIRED``, ``TOO_LONG`` and ``INVALID_CHARACTERS`` are the shared codes every area's names use
(domain.validation); the forms here report them too.
"""

from __future__ import annotations

from typing import Final

# The forms (domain.accounts.validation, domain.accounts.forms).
REQUIRED: Final = "REQUIRED"
TOO_LONG: Final = "TOO_LONG"
INVALID_CHARACTERS: Final = "INVALID_CHARACTERS"
INVALID_EMAIL: Final = "INVALID_EMAIL"
INVALID_COUNTRY: Final = "INVALID_COUNTRY"
INVALID_PHONE: Final = "INVALID_PHONE"
TERMS_NOT_ACCEPTED: Final = "TERMS_NOT_ACCEPTED"
PRIVACY_NOT_ACCEPTED: Final = "PRIVACY_NOT_ACCEPTED"

# The password policy (domain.accounts.passwords).
PASSWORD_TOO_SHORT: Final = "PASSWORD_TOO_SHORT"  # noqa: S105
PASSWORD_TOO_LONG: Final = "PASSWORD_TOO_LONG"  # noqa: S105
PASSWORD_TOO_COMMON: Final = "PASSWORD_TOO_COMMON"  # noqa: S105
PASSWORD_CONTAINS_PERSONAL_INFO: Final = "PASSWORD_CONTAINS_PERSONAL_INFO"  # noqa: S105
PASSWORD_INVALID_CHARACTERS: Final = "PASSWORD_INVALID_CHARACTERS"  # noqa: S105

# Every refusal of an activation code, of a password-reset link: one code each (the message says
# which case).
INVALID_OR_EXPIRED_CODE: Final = "INVALID_OR_EXPIRED_CODE"
INVALID_OR_EXPIRED_TOKEN: Final = "INVALID_OR_EXPIRED_TOKEN"  # noqa: S105

# The viewer's own account: a wrong current password; a session that is not theirs or has ended.
INVALID_PASSWORD: Final = "INVALID_PASSWORD"  # noqa: S105
NOT_FOUND: Final = "NOT_FOUND"
