from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class AuditLog(BaseModel):
    audit_events: "AuditLogAuditEvents" = Field(alias="auditEvents")


class AuditLogAuditEvents(BaseModel):
    page_info: "AuditLogAuditEventsPageInfo" = Field(alias="pageInfo")
    edges: list["AuditLogAuditEventsEdges"]


class AuditLogAuditEventsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class AuditLogAuditEventsEdges(BaseModel):
    node: "AuditLogAuditEventsEdgesNode"


class AuditLogAuditEventsEdgesNode(BaseModel):
    id: str
    occurred_at: datetime = Field(alias="occurredAt")
    action: str
    actor_email: Optional[str] = Field(alias="actorEmail")
    actor_service_account: Optional[
        "AuditLogAuditEventsEdgesNodeActorServiceAccount"
    ] = Field(alias="actorServiceAccount")
    target_type: Optional[str] = Field(alias="targetType")
    client_address: Optional[str] = Field(alias="clientAddress")


class AuditLogAuditEventsEdgesNodeActorServiceAccount(BaseModel):
    name: str


AuditLog.model_rebuild()
AuditLogAuditEvents.model_rebuild()
AuditLogAuditEventsEdges.model_rebuild()
AuditLogAuditEventsEdgesNode.model_rebuild()
