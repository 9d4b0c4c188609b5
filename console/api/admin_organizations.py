from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationStatus, OrganizationType
from .fragments import PageFrame


class AdminOrganizations(BaseModel):
    viewer: "AdminOrganizationsViewer"
    organizations: "AdminOrganizationsOrganizations"


AdminOrganizationsViewer = PageFrame


class AdminOrganizationsOrganizations(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "AdminOrganizationsOrganizationsPageInfo" = Field(alias="pageInfo")
    edges: list["AdminOrganizationsOrganizationsEdges"]


class AdminOrganizationsOrganizationsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class AdminOrganizationsOrganizationsEdges(BaseModel):
    node: "AdminOrganizationsOrganizationsEdgesNode"


class AdminOrganizationsOrganizationsEdgesNode(BaseModel):
    id: str
    type_: OrganizationType = Field(alias="type")
    status: OrganizationStatus
    name: str
    country: str
    created_at: datetime = Field(alias="createdAt")
    member_count: int = Field(alias="memberCount")
    super_admin: Optional["AdminOrganizationsOrganizationsEdgesNodeSuperAdmin"] = Field(
        alias="superAdmin"
    )


class AdminOrganizationsOrganizationsEdgesNodeSuperAdmin(BaseModel):
    email: str


AdminOrganizations.model_rebuild()
AdminOrganizationsOrganizations.model_rebuild()
AdminOrganizationsOrganizationsEdges.model_rebuild()
AdminOrganizationsOrganizationsEdgesNode.model_rebuild()
