"""The SCIM area's errors: a protocol fault (answered in SCIM's error format by web/scim.py) and
the GraphQL userError codes of token management."""

from __future__ import annotations

from domain.errors import DomainError

# RFC 7644 §3.12 scimType keywords used here.
UNIQUENESS = "uniqueness"
INVALID_VALUE = "invalidValue"
INVALID_FILTER = "invalidFilter"
INVALID_SYNTAX = "invalidSyntax"
MUTABILITY = "mutability"
NO_TARGET = "noTarget"
INVALID_PATH = "invalidPath"


class ScimFault(DomainError):
    """An expected refusal of a SCIM request: its HTTP status, its ``scimType`` (None for 401,
    403, 404, 412, 429) and a detail for the directory's administrator."""

    def __init__(self, status: int, scim_type: str | None, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.scim_type = scim_type
        self.detail = detail


def not_found() -> ScimFault:
    # Another organization's user is exactly as missing as one that never existed.
    return ScimFault(404, None, "No such user in this organization.")


def user_name_taken() -> ScimFault:
    return ScimFault(409, UNIQUENESS, "A user of this organization already has this userName.")


def already_provisioned() -> ScimFault:
    return ScimFault(
        409,
        UNIQUENESS,
        "This person is already provisioned in this organization (another userName).",
    )


def no_email() -> ScimFault:
    return ScimFault(
        400,
        INVALID_VALUE,
        "A user needs an email address: a userName that is one, or a value in emails.",
    )


def super_admin() -> ScimFault:
    return ScimFault(
        400,
        MUTABILITY,
        "The organization's Super Admin cannot be deactivated or removed through SCIM: "
        "transfer the role in the portal first.",
    )


def group_not_found() -> ScimFault:
    # Another organization's group is exactly as missing as one that never existed.
    return ScimFault(404, None, "No such group in this organization.")


def group_name_taken() -> ScimFault:
    return ScimFault(
        409, UNIQUENESS, "A group of this organization (or a role: Admins, Users) has this name."
    )


def not_a_member(scim_id: str) -> ScimFault:
    return ScimFault(400, INVALID_VALUE, f"No such user in this organization: {scim_id}.")
