"""The product's vocabularies, shared by services and the GraphQL schema.

The ones a model stores are defined in ``db.enums`` (the layer below) and re-exported here; a
license's status is computed, never stored, so it is defined here.
"""

from __future__ import annotations

from enum import StrEnum

from db.enums import (
    ConsentDocument,
    DeviceKind,
    DeviceStatus,
    InvitationStatus,
    OrganizationStatus,
    OrganizationType,
    OutboxStatus,
    PartnerAccessExtensionStatus,
    PartnerAccessNotice,
    PartnerAccessScope,
    PartnerMappingStatus,
    PartnerRequestStatus,
    Role,
    StepCodeStatus,
    TokenPurpose,
    UserStatus,
)

__all__ = [
    "ConsentDocument",
    "DeviceKind",
    "DeviceStatus",
    "InvitationStatus",
    "LicenseStatus",
    "OrganizationStatus",
    "OrganizationType",
    "OutboxStatus",
    "PartnerAccessExtensionStatus",
    "PartnerAccessNotice",
    "PartnerAccessScope",
    "PartnerMappingStatus",
    "PartnerRequestStatus",
    "Role",
    "StepCodeStatus",
    "TokenPurpose",
    "UserStatus",
]


class LicenseStatus(StrEnum):
    AVAILABLE = "AVAILABLE"
    IN_USE = "IN_USE"
    EXPIRING_SOON = "EXPIRING_SOON"
    EXPIRED = "EXPIRED"
