from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import PageFrame


class VendorAuditLog(BaseModel):
    viewer: "VendorAuditLogViewer"
    audit_events: "VendorAuditLogAuditEvents" = Field(alias="auditEvents")


VendorAuditLogViewer = PageFrame


class VendorAuditLogAuditEvents(BaseModel):
    page_info: "VendorAuditLogAuditEventsPageInfo" = Field(alias="pageInfo")
    edges: list["VendorAuditLogAuditEventsEdges"]


class VendorAuditLogAuditEventsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class VendorAuditLogAuditEventsEdges(BaseModel):
    node: "VendorAuditLogAuditEventsEdgesNode"


class VendorAuditLogAuditEventsEdgesNode(BaseModel):
    id: str
    occurred_at: datetime = Field(alias="occurredAt")
    action: str
    actor_id: Optional[str] = Field(alias="actorId")
    actor_email: Optional[str] = Field(alias="actorEmail")
    organization_id: Optional[str] = Field(alias="organizationId")
    target_type: Optional[str] = Field(alias="targetType")
    target_id: Optional[str] = Field(alias="targetId")
    client_address: Optional[str] = Field(alias="clientAddress")


VendorAuditLog.model_rebuild()
VendorAuditLogAuditEvents.model_rebuild()
VendorAuditLogAuditEventsEdges.model_rebuild()
