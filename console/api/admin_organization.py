from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import (
    OrganizationStatus,
    OrganizationType,
    PartnerMappingStatus,
    Role,
    UserStatus,
)
from .fragments import PageFrame


class AdminOrganization(BaseModel):
    viewer: "AdminOrganizationViewer"
    organization: Optional["AdminOrganizationOrganization"]


AdminOrganizationViewer = PageFrame


class AdminOrganizationOrganization(BaseModel):
    id: str
    type_: OrganizationType = Field(alias="type")
    status: OrganizationStatus
    name: str
    country: str
    address: Optional[str]
    phone: Optional[str]
    created_at: datetime = Field(alias="createdAt")
    activated_at: Optional[datetime] = Field(alias="activatedAt")
    suspended_at: Optional[datetime] = Field(alias="suspendedAt")
    suspended_reason: Optional[str] = Field(alias="suspendedReason")
    member_count: int = Field(alias="memberCount")
    location_count: int = Field(alias="locationCount")
    customer_count: Optional[int] = Field(alias="customerCount")
    device_counts: "AdminOrganizationOrganizationDeviceCounts" = Field(
        alias="deviceCounts"
    )
    license_summary: "AdminOrganizationOrganizationLicenseSummary" = Field(
        alias="licenseSummary"
    )
    step_partner_code: Optional["AdminOrganizationOrganizationStepPartnerCode"] = Field(
        alias="stepPartnerCode"
    )
    members: "AdminOrganizationOrganizationMembers"
    partner_mappings: "AdminOrganizationOrganizationPartnerMappings" = Field(
        alias="partnerMappings"
    )
    organization: "AdminOrganizationOrganizationOrganization"


class AdminOrganizationOrganizationDeviceCounts(BaseModel):
    total: int
    online: int
    offline: int
    pending: int


class AdminOrganizationOrganizationLicenseSummary(BaseModel):
    total: int
    available: int
    in_use: int = Field(alias="inUse")
    expiring_soon: int = Field(alias="expiringSoon")
    expired: int


class AdminOrganizationOrganizationStepPartnerCode(BaseModel):
    code: str


class AdminOrganizationOrganizationMembers(BaseModel):
    page_info: "AdminOrganizationOrganizationMembersPageInfo" = Field(alias="pageInfo")
    edges: list["AdminOrganizationOrganizationMembersEdges"]


class AdminOrganizationOrganizationMembersPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")


class AdminOrganizationOrganizationMembersEdges(BaseModel):
    node: "AdminOrganizationOrganizationMembersEdgesNode"


class AdminOrganizationOrganizationMembersEdgesNode(BaseModel):
    id: str
    role: Role
    status: UserStatus
    joined_at: datetime = Field(alias="joinedAt")
    user: "AdminOrganizationOrganizationMembersEdgesNodeUser"


class AdminOrganizationOrganizationMembersEdgesNodeUser(BaseModel):
    id: str
    email: str
    first_name: str = Field(alias="firstName")
    last_name: str = Field(alias="lastName")


class AdminOrganizationOrganizationPartnerMappings(BaseModel):
    page_info: "AdminOrganizationOrganizationPartnerMappingsPageInfo" = Field(
        alias="pageInfo"
    )
    edges: list["AdminOrganizationOrganizationPartnerMappingsEdges"]


class AdminOrganizationOrganizationPartnerMappingsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")


class AdminOrganizationOrganizationPartnerMappingsEdges(BaseModel):
    node: "AdminOrganizationOrganizationPartnerMappingsEdgesNode"


class AdminOrganizationOrganizationPartnerMappingsEdgesNode(BaseModel):
    id: str
    status: PartnerMappingStatus
    since: Optional[datetime]
    ended_at: Optional[datetime] = Field(alias="endedAt")
    partner: "AdminOrganizationOrganizationPartnerMappingsEdgesNodePartner"
    customer: "AdminOrganizationOrganizationPartnerMappingsEdgesNodeCustomer"


class AdminOrganizationOrganizationPartnerMappingsEdgesNodePartner(BaseModel):
    id: str
    name: str


class AdminOrganizationOrganizationPartnerMappingsEdgesNodeCustomer(BaseModel):
    id: str
    name: str


class AdminOrganizationOrganizationOrganization(BaseModel):
    audit_events: Optional["AdminOrganizationOrganizationOrganizationAuditEvents"] = (
        Field(alias="auditEvents")
    )


class AdminOrganizationOrganizationOrganizationAuditEvents(BaseModel):
    edges: list["AdminOrganizationOrganizationOrganizationAuditEventsEdges"]


class AdminOrganizationOrganizationOrganizationAuditEventsEdges(BaseModel):
    node: "AdminOrganizationOrganizationOrganizationAuditEventsEdgesNode"


class AdminOrganizationOrganizationOrganizationAuditEventsEdgesNode(BaseModel):
    id: str
    occurred_at: datetime = Field(alias="occurredAt")
    action: str
    actor_email: Optional[str] = Field(alias="actorEmail")
    target_type: Optional[str] = Field(alias="targetType")
    client_address: Optional[str] = Field(alias="clientAddress")


AdminOrganization.model_rebuild()
AdminOrganizationOrganization.model_rebuild()
AdminOrganizationOrganizationMembers.model_rebuild()
AdminOrganizationOrganizationMembersEdges.model_rebuild()
AdminOrganizationOrganizationMembersEdgesNode.model_rebuild()
AdminOrganizationOrganizationPartnerMappings.model_rebuild()
AdminOrganizationOrganizationPartnerMappingsEdges.model_rebuild()
AdminOrganizationOrganizationPartnerMappingsEdgesNode.model_rebuild()
AdminOrganizationOrganizationOrganization.model_rebuild()
AdminOrganizationOrganizationOrganizationAuditEvents.model_rebuild()
AdminOrganizationOrganizationOrganizationAuditEventsEdges.model_rebuild()
