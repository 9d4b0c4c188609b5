"""GraphQL enums: the domain's vocabularies, registered with Strawberry under the same names.

``strawberry.enum`` decorates the class in place, so the domain classes themselves are the GraphQL
enums and can be used in annotations directly. The classes live in ``db``/``domain``, which import
no strawberry, so their descriptions (the enum's and each value's) are written here.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from domain.enums import (
    DeviceKind,
    DeviceStatus,
    InvitationStatus,
    LicenseStatus,
    OrganizationStatus,
    OrganizationType,
    PartnerAccessScope,
    PartnerMappingStatus,
    PartnerRequestStatus,
    Role,
    StepCodeStatus,
    UserStatus,
)


def describe_values(enum: type[Enum], descriptions: dict[str, str]) -> None:
    """Give each value of a registered enum its description (every value needs one).

    The values of a class we cannot annotate with ``strawberry.enum_value`` are described on the
    definition ``strawberry.enum`` made (Strawberry 0.341, pinned; the SDL test shows a change).
    """
    definition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    names = {value.name for value in definition.values}
    if names != set(descriptions):
        raise ValueError(f"{enum.__name__}: describe exactly {sorted(names)}")
    for value in definition.values:
        value.description = descriptions[value.name]


def _register(enum: type[Enum], description: str, values: dict[str, str]) -> None:
    strawberry.enum(enum, description=description)
    describe_values(enum, values)


_register(
    DeviceKind,
    "What a device is.",
    {"CAMERA": "A camera.", "RECORDER": "A video recorder (NVR/DVR) that cameras record to."},
)
_register(
    DeviceStatus,
    "A device's connection state.",
    {
        "PENDING": "Registered, never connected yet.",
        "ONLINE": "Connected now.",
        "OFFLINE": "Connected before, not connected now.",
    },
)
_register(
    InvitationStatus,
    "Where an invitation stands.",
    {
        "PENDING": "Sent, not yet accepted; usable until `expiresAt`.",
        "ACCEPTED": "The invited person joined the organization.",
        "DECLINED": "The invited person said no; they can be invited again.",
        "CANCELLED": "Withdrawn by an admin; its link no longer works.",
        "EXPIRED": "Not accepted within 7 days; it can be resent.",
    },
)
_register(
    LicenseStatus,
    "Where a license stands, computed when read (never stored).",
    {
        "AVAILABLE": "Attached to no device; its term has not started or is running.",
        "IN_USE": "Attached to at least one device.",
        "EXPIRING_SOON": "Its term ends within 30 days.",
        "EXPIRED": "Its term has ended; it unlocks nothing.",
    },
)
_register(
    OrganizationStatus,
    "Where an organization stands: whether its members may sign in.",
    {
        "PENDING": "Created; its first Super Admin has not activated the account yet.",
        "ACTIVE": "In use.",
        "SUSPENDED": "Suspended by an internal admin: its members cannot sign in or use tokens.",
    },
)
_register(
    OrganizationType,
    "The kinds of organization.",
    {
        "CUSTOMER": "A company running cameras and recorders at its sites.",
        "PARTNER": "A STEP partner (installer or reseller) supporting customers mapped to it.",
        "INTERNAL": "The vendor's own organization, whose internal admins run the platform.",
    },
)
_register(
    PartnerMappingStatus,
    "Where a partner-customer mapping stands.",
    {
        "INVITED": "The customer invited the partner; the partner has not accepted yet.",
        "ACTIVE": "The partner supports the customer; its assigned technicians may work there.",
        "ENDED": "Ended by either side (or the invitation was declined or withdrawn).",
    },
)
_register(
    PartnerAccessScope,
    "Which of a technician's powers a customer grants its partner (its staff always read).",
    {
        "DEVICES": "Register and configure devices, and manage locations and areas.",
        "DEVICES_LICENSES": "Devices, and also manage licenses.",
        "DEVICES_LICENSES_USERS": "Devices and licenses, and also invite and manage users.",
    },
)
_register(
    PartnerRequestStatus,
    'Where a "Join as a STEP Partner" request stands.',
    {
        "PENDING": "Waiting for an internal admin's review.",
        "APPROVED": "Approved: the partner organization and its Super Admin were created.",
        "REJECTED": "Rejected; the reason was emailed to the requester.",
    },
)
_register(
    Role,
    "A person's role in an organization, which decides what they may do there.",
    {
        "SUPER_ADMIN": "Exactly one per organization: everything in it, including admins, "
        "partner access, licenses and deleting it.",
        "ADMIN": "Manages locations, devices and licenses, and invites and manages ADMINs and "
        "USERs.",
        "USER": "Reads the organization's data.",
        "TECHNICIAN": "A partner's staff member assigned to a customer: registers and configures "
        'devices there (shown to customers as "Installer").',
        "INTERNAL_ADMIN": "The vendor's staff: reviews partner requests, manages STEP codes, reads "
        "and suspends any organization.",
    },
)
_register(
    StepCodeStatus,
    "Whether a STEP partner code may still be used.",
    {
        "ACTIVE": "Usable, once, to join as a STEP partner.",
        "REVOKED": "Revoked by an internal admin: refused.",
    },
)
_register(
    UserStatus,
    "Where an account stands: whether it may sign in.",
    {
        "PENDING": "No password yet: waiting for activation through the emailed link and code.",
        "ACTIVE": "Can sign in.",
        "DISABLED": "Cannot sign in.",
    },
)

__all__ = [
    "DeviceKind",
    "DeviceStatus",
    "InvitationStatus",
    "LicenseStatus",
    "OrganizationStatus",
    "OrganizationType",
    "PartnerAccessScope",
    "PartnerMappingStatus",
    "PartnerRequestStatus",
    "Role",
    "StepCodeStatus",
    "UserStatus",
    "describe_values",
]
