"""The organizations area's userError codes (stable: clients switch on them) and field paths."""

from __future__ import annotations

from domain.errors import UserError
from domain.organizations.repository import Contents

# Deleting an organization that still holds something, or without typing its name exactly.
ORGANIZATION_NOT_EMPTY = "ORGANIZATION_NOT_EMPTY"
CONFIRMATION_MISMATCH = "CONFIRMATION_MISMATCH"

ORGANIZATION_FIELD = ("input", "organizationId")
CONFIRM_FIELD = ("input", "confirmName")


def _describe(contents: Contents) -> str:
    parts = []
    for count, one, many in (
        (contents.other_members, "other member", "other members"),
        (contents.devices, "device", "devices"),
        (contents.licenses, "license", "licenses"),
        (contents.pending_invitations, "pending invitation", "pending invitations"),
        (contents.partner_mappings, "partner mapping", "partner mappings"),
    ):
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)


class NotEmpty(UserError):
    """``ORGANIZATION_NOT_EMPTY``, naming what remains (``contents`` feeds ``remaining``)."""

    def __init__(self, contents: Contents) -> None:
        super().__init__(
            ORGANIZATION_NOT_EMPTY,
            f"The organization is not empty. Remove first: {_describe(contents)}.",
            ORGANIZATION_FIELD,
        )
        self.contents = contents


def confirmation_mismatch() -> UserError:
    return UserError(
        CONFIRMATION_MISMATCH,
        "Type the organization's name exactly as it is shown to confirm the deletion.",
        CONFIRM_FIELD,
    )
