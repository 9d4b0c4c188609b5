from datetime import datetime
from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerAccessScope, Role, UserStatus
from .fragments import PageFrame


class PartnerCustomer(BaseModel):
    viewer: "PartnerCustomerViewer"
    landing: Union[
        "PartnerCustomerLandingCustomerLanding",
        "PartnerCustomerLandingPartnerLanding",
        "PartnerCustomerLandingAdminLanding",
    ] = Field(discriminator="typename__")
    members: "PartnerCustomerMembers"


PartnerCustomerViewer = PageFrame


class PartnerCustomerLandingCustomerLanding(BaseModel):
    typename__: Literal["CustomerLanding"] = Field(alias="__typename")


class PartnerCustomerLandingPartnerLanding(BaseModel):
    typename__: Literal["PartnerLanding"] = Field(alias="__typename")
    organization: "PartnerCustomerLandingPartnerLandingOrganization"
    customer: Optional["PartnerCustomerLandingPartnerLandingCustomer"]


class PartnerCustomerLandingPartnerLandingOrganization(BaseModel):
    id: str
    name: str


class PartnerCustomerLandingPartnerLandingCustomer(BaseModel):
    id: str
    name: str
    country: str
    mapping_id: str = Field(alias="mappingId")
    mapped_at: datetime = Field(alias="mappedAt")
    location_count: int = Field(alias="locationCount")
    device_counts: "PartnerCustomerLandingPartnerLandingCustomerDeviceCounts" = Field(
        alias="deviceCounts"
    )
    license_summary: "PartnerCustomerLandingPartnerLandingCustomerLicenseSummary" = (
        Field(alias="licenseSummary")
    )
    access_scope: PartnerAccessScope = Field(alias="accessScope")
    access_expires_at: datetime = Field(alias="accessExpiresAt")
    access_expired: bool = Field(alias="accessExpired")
    extension_requested_until: Optional[datetime] = Field(
        alias="extensionRequestedUntil"
    )
    technicians: "PartnerCustomerLandingPartnerLandingCustomerTechnicians"


class PartnerCustomerLandingPartnerLandingCustomerDeviceCounts(BaseModel):
    total: int


class PartnerCustomerLandingPartnerLandingCustomerLicenseSummary(BaseModel):
    total: int


class PartnerCustomerLandingPartnerLandingCustomerTechnicians(BaseModel):
    edges: list["PartnerCustomerLandingPartnerLandingCustomerTechniciansEdges"]


class PartnerCustomerLandingPartnerLandingCustomerTechniciansEdges(BaseModel):
    node: "PartnerCustomerLandingPartnerLandingCustomerTechniciansEdgesNode"


class PartnerCustomerLandingPartnerLandingCustomerTechniciansEdgesNode(BaseModel):
    id: str
    assigned_at: datetime = Field(alias="assignedAt")
    user: "PartnerCustomerLandingPartnerLandingCustomerTechniciansEdgesNodeUser"


class PartnerCustomerLandingPartnerLandingCustomerTechniciansEdgesNodeUser(BaseModel):
    id: str
    email: str
    display_name: str = Field(alias="displayName")


class PartnerCustomerLandingAdminLanding(BaseModel):
    typename__: Literal["AdminLanding"] = Field(alias="__typename")


class PartnerCustomerMembers(BaseModel):
    edges: list["PartnerCustomerMembersEdges"]


class PartnerCustomerMembersEdges(BaseModel):
    node: "PartnerCustomerMembersEdgesNode"


class PartnerCustomerMembersEdgesNode(BaseModel):
    role: Role
    status: UserStatus
    user: "PartnerCustomerMembersEdgesNodeUser"


class PartnerCustomerMembersEdgesNodeUser(BaseModel):
    id: str
    email: str
    display_name: str = Field(alias="displayName")


PartnerCustomer.model_rebuild()
PartnerCustomerLandingPartnerLanding.model_rebuild()
PartnerCustomerLandingPartnerLandingCustomer.model_rebuild()
PartnerCustomerLandingPartnerLandingCustomerTechnicians.model_rebuild()
PartnerCustomerLandingPartnerLandingCustomerTechniciansEdges.model_rebuild()
PartnerCustomerLandingPartnerLandingCustomerTechniciansEdgesNode.model_rebuild()
PartnerCustomerMembers.model_rebuild()
PartnerCustomerMembersEdges.model_rebuild()
PartnerCustomerMembersEdgesNode.model_rebuild()
