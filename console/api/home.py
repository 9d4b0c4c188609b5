from datetime import datetime
from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerAccessScope
from .fragments import PageFrame, PendingPartnerRequest


class Home(BaseModel):
    viewer: "HomeViewer"
    landing: Union[
        "HomeLandingCustomerLanding",
        "HomeLandingPartnerLanding",
        "HomeLandingAdminLanding",
    ] = Field(discriminator="typename__")


HomeViewer = PageFrame


class HomeLandingCustomerLanding(BaseModel):
    typename__: Literal["CustomerLanding"] = Field(alias="__typename")
    organization: "HomeLandingCustomerLandingOrganization"
    app_tiles: list["HomeLandingCustomerLandingAppTiles"] = Field(alias="appTiles")


class HomeLandingCustomerLandingOrganization(BaseModel):
    name: str


class HomeLandingCustomerLandingAppTiles(BaseModel):
    key: str
    name: str
    description: str
    link: str
    unlocked: bool


class HomeLandingPartnerLanding(BaseModel):
    typename__: Literal["PartnerLanding"] = Field(alias="__typename")
    organization: "HomeLandingPartnerLandingOrganization"
    customers: "HomeLandingPartnerLandingCustomers"


class HomeLandingPartnerLandingOrganization(BaseModel):
    name: str


class HomeLandingPartnerLandingCustomers(BaseModel):
    page_info: "HomeLandingPartnerLandingCustomersPageInfo" = Field(alias="pageInfo")
    edges: list["HomeLandingPartnerLandingCustomersEdges"]


class HomeLandingPartnerLandingCustomersPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class HomeLandingPartnerLandingCustomersEdges(BaseModel):
    node: "HomeLandingPartnerLandingCustomersEdgesNode"


class HomeLandingPartnerLandingCustomersEdgesNode(BaseModel):
    id: str
    name: str
    country: str
    mapping_id: str = Field(alias="mappingId")
    location_count: int = Field(alias="locationCount")
    device_counts: "HomeLandingPartnerLandingCustomersEdgesNodeDeviceCounts" = Field(
        alias="deviceCounts"
    )
    license_summary: "HomeLandingPartnerLandingCustomersEdgesNodeLicenseSummary" = (
        Field(alias="licenseSummary")
    )
    access_scope: PartnerAccessScope = Field(alias="accessScope")
    access_expires_at: datetime = Field(alias="accessExpiresAt")
    access_expired: bool = Field(alias="accessExpired")
    extension_requested_until: Optional[datetime] = Field(
        alias="extensionRequestedUntil"
    )


class HomeLandingPartnerLandingCustomersEdgesNodeDeviceCounts(BaseModel):
    total: int


class HomeLandingPartnerLandingCustomersEdgesNodeLicenseSummary(BaseModel):
    total: int


class HomeLandingAdminLanding(BaseModel):
    typename__: Literal["AdminLanding"] = Field(alias="__typename")
    pending_partner_requests: "HomeLandingAdminLandingPendingPartnerRequests" = Field(
        alias="pendingPartnerRequests"
    )


class HomeLandingAdminLandingPendingPartnerRequests(BaseModel):
    page_info: "HomeLandingAdminLandingPendingPartnerRequestsPageInfo" = Field(
        alias="pageInfo"
    )
    edges: list["HomeLandingAdminLandingPendingPartnerRequestsEdges"]


class HomeLandingAdminLandingPendingPartnerRequestsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class HomeLandingAdminLandingPendingPartnerRequestsEdges(BaseModel):
    node: "HomeLandingAdminLandingPendingPartnerRequestsEdgesNode"


HomeLandingAdminLandingPendingPartnerRequestsEdgesNode = PendingPartnerRequest
Home.model_rebuild()
HomeLandingCustomerLanding.model_rebuild()
HomeLandingPartnerLanding.model_rebuild()
HomeLandingPartnerLandingCustomers.model_rebuild()
HomeLandingPartnerLandingCustomersEdges.model_rebuild()
HomeLandingPartnerLandingCustomersEdgesNode.model_rebuild()
HomeLandingAdminLanding.model_rebuild()
HomeLandingAdminLandingPendingPartnerRequests.model_rebuild()
HomeLandingAdminLandingPendingPartnerRequestsEdges.model_rebuild()
