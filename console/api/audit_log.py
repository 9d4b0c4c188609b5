from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class AuditLog(BaseModel):
    viewer: "AuditLogViewer"


class AuditLogViewer(PageFrame):
    working: "AuditLogViewerWorking"


class AuditLogViewerWorking(BaseModel):
    audit_events: Optional["AuditLogViewerWorkingAuditEvents"] = Field(
        alias="auditEvents"
    )
    members: "AuditLogViewerWorkingMembers"


class AuditLogViewerWorkingAuditEvents(BaseModel):
    page_info: "AuditLogViewerWorkingAuditEventsPageInfo" = Field(alias="pageInfo")
    edges: list["AuditLogViewerWorkingAuditEventsEdges"]


class AuditLogViewerWorkingAuditEventsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class AuditLogViewerWorkingAuditEventsEdges(BaseModel):
    node: "AuditLogViewerWorkingAuditEventsEdgesNode"


class AuditLogViewerWorkingAuditEventsEdgesNode(BaseModel):
    id: str
    occurred_at: datetime = Field(alias="occurredAt")
    action: str
    actor_email: Optional[str] = Field(alias="actorEmail")
    actor_service_account: Optional[
        "AuditLogViewerWorkingAuditEventsEdgesNodeActorServiceAccount"
    ] = Field(alias="actorServiceAccount")
    target_type: Optional[str] = Field(alias="targetType")
    client_address: Optional[str] = Field(alias="clientAddress")


class AuditLogViewerWorkingAuditEventsEdgesNodeActorServiceAccount(BaseModel):
    name: str


class AuditLogViewerWorkingMembers(BaseModel):
    edges: list["AuditLogViewerWorkingMembersEdges"]


class AuditLogViewerWorkingMembersEdges(BaseModel):
    node: "AuditLogViewerWorkingMembersEdgesNode"


class AuditLogViewerWorkingMembersEdgesNode(BaseModel):
    user: "AuditLogViewerWorkingMembersEdgesNodeUser"


class AuditLogViewerWorkingMembersEdgesNodeUser(BaseModel):
    id: str
    email: str


AuditLog.model_rebuild()
AuditLogViewer.model_rebuild()
AuditLogViewerWorking.model_rebuild()
AuditLogViewerWorkingAuditEvents.model_rebuild()
AuditLogViewerWorkingAuditEventsEdges.model_rebuild()
AuditLogViewerWorkingAuditEventsEdgesNode.model_rebuild()
AuditLogViewerWorkingMembers.model_rebuild()
AuditLogViewerWorkingMembersEdges.model_rebuild()
AuditLogViewerWorkingMembersEdgesNode.model_rebuild()
