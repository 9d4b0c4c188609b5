"""The service-account area's userError codes (besides the shared NOT_FOUND, REQUIRED, TOO_LONG,
INVALID_CHARACTERS and NAME_TAKEN)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import UserError

# Only ADMIN and USER: never SUPER_ADMIN (one per organization, a person), nor the roles that
# describe a person's path (TECHNICIAN, INTERNAL_ADMIN).
INVALID_ROLE = "INVALID_ROLE"
INVALID_ROLE_MESSAGE = "A service account's role is ADMIN or USER (never SUPER_ADMIN)."
TOO_MANY_SERVICE_ACCOUNTS = "TOO_MANY_SERVICE_ACCOUNTS"


def too_many(limit: int, field: Sequence[str]) -> UserError:
    return UserError(
        TOO_MANY_SERVICE_ACCOUNTS,
        f"An organization has at most {limit} service accounts: revoke one first.",
        field,
    )
