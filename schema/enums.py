"""GraphQL enums: the domain's vocabularies, registered with Strawberry under the same names.

``strawberry.enum`` decorates the class in place, so the domain classes themselves are the GraphQL
enums and can be used in annotations directly.
"""

from __future__ import annotations

import strawberry

from domain.enums import (
    DeviceKind,
    DeviceStatus,
    InvitationStatus,
    LicenseStatus,
    OrganizationStatus,
    OrganizationType,
    PartnerMappingStatus,
    PartnerRequestStatus,
    Role,
    StepCodeStatus,
    UserStatus,
)

for _enum in (
    DeviceKind,
    DeviceStatus,
    InvitationStatus,
    LicenseStatus,
    OrganizationStatus,
    OrganizationType,
    PartnerMappingStatus,
    PartnerRequestStatus,
    Role,
    StepCodeStatus,
    UserStatus,
):
    strawberry.enum(_enum)

__all__ = [
    "DeviceKind",
    "DeviceStatus",
    "InvitationStatus",
    "LicenseStatus",
    "OrganizationStatus",
    "OrganizationType",
    "PartnerMappingStatus",
    "PartnerRequestStatus",
    "Role",
    "StepCodeStatus",
    "UserStatus",
]
