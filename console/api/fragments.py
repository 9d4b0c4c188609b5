from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationType, PartnerAccessScope, Role


class PageFrame(BaseModel):
    role: Role
    user: "PageFrameUser"
    organization: "PageFrameOrganization"
    organizations: list["PageFrameOrganizations"]
    technician_access: Optional["PageFrameTechnicianAccess"] = Field(
        alias="technicianAccess"
    )


class PageFrameUser(BaseModel):
    email: str
    display_name: str = Field(alias="displayName")


class PageFrameOrganization(BaseModel):
    id: str
    name: str
    type_: OrganizationType = Field(alias="type")


class PageFrameOrganizations(BaseModel):
    id: str
    name: str
    type_: OrganizationType = Field(alias="type")


class PageFrameTechnicianAccess(BaseModel):
    partner_id: str = Field(alias="partnerId")
    partner_name: str = Field(alias="partnerName")
    scope: PartnerAccessScope
    expires_at: datetime = Field(alias="expiresAt")


class PendingPartnerRequest(BaseModel):
    id: str
    step_partner_code: str = Field(alias="stepPartnerCode")
    company_name: str = Field(alias="companyName")
    country: str
    contact_email: str = Field(alias="contactEmail")
    contact_first_name: str = Field(alias="contactFirstName")
    contact_last_name: str = Field(alias="contactLastName")
    created_at: datetime = Field(alias="createdAt")


class PlaceOptions(BaseModel):
    locations: "PlaceOptionsLocations"


class PlaceOptionsLocations(BaseModel):
    edges: list["PlaceOptionsLocationsEdges"]


class PlaceOptionsLocationsEdges(BaseModel):
    node: "PlaceOptionsLocationsEdgesNode"


class PlaceOptionsLocationsEdgesNode(BaseModel):
    id: str
    name: str
    areas: "PlaceOptionsLocationsEdgesNodeAreas"


class PlaceOptionsLocationsEdgesNodeAreas(BaseModel):
    edges: list["PlaceOptionsLocationsEdgesNodeAreasEdges"]


class PlaceOptionsLocationsEdgesNodeAreasEdges(BaseModel):
    node: "PlaceOptionsLocationsEdgesNodeAreasEdgesNode"


class PlaceOptionsLocationsEdgesNodeAreasEdgesNode(BaseModel):
    id: str
    name: str


class Problem(BaseModel):
    field: Optional[list[str]]
    message: str
    code: str


class WebhookEndpointSummary(BaseModel):
    id: str
    url: str
    description: Optional[str]
    events: list[str]
    enabled: bool
    disabled_reason: Optional[str] = Field(alias="disabledReason")
    failing_since: Optional[datetime] = Field(alias="failingSince")
    previous_secret_expires_at: Optional[datetime] = Field(
        alias="previousSecretExpiresAt"
    )


PageFrame.model_rebuild()
PendingPartnerRequest.model_rebuild()
PlaceOptions.model_rebuild()
Problem.model_rebuild()
WebhookEndpointSummary.model_rebuild()
