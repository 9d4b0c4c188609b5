"""The internal admin console's userError codes (stable: clients switch on them)."""

from __future__ import annotations

from domain.errors import UserError

# Suspending a suspended organization, reactivating an active one (the loser of a race, or a
# retried click: it learns the state instead of a silent success).
ALREADY_SUSPENDED = "ALREADY_SUSPENDED"
NOT_SUSPENDED = "NOT_SUSPENDED"
CANNOT_SUSPEND_INTERNAL = "CANNOT_SUSPEND_INTERNAL"

ORGANIZATION_FIELD = ("input", "organizationId")


def cannot_suspend_internal() -> UserError:
    return UserError(
        CANNOT_SUSPEND_INTERNAL,
        "The vendor's own organization cannot be suspended.",
        ORGANIZATION_FIELD,
    )


def already_suspended() -> UserError:
    return UserError(
        ALREADY_SUSPENDED, "This organization is already suspended.", ORGANIZATION_FIELD
    )


def not_suspended() -> UserError:
    return UserError(NOT_SUSPENDED, "This organization is not suspended.", ORGANIZATION_FIELD)
