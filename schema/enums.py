"""GraphQL enums: the domain's vocabularies under the contract's names."""

from __future__ import annotations

import strawberry

from domain import enums

Role = strawberry.enum(enums.Role, name="Role")
OrganizationType = strawberry.enum(enums.OrganizationType, name="OrganizationType")
OrganizationStatus = strawberry.enum(enums.OrganizationStatus, name="OrganizationStatus")
PartnerRequestStatus = strawberry.enum(enums.PartnerRequestStatus, name="PartnerRequestStatus")
UserStatus = strawberry.enum(enums.UserStatus, name="UserStatus")
