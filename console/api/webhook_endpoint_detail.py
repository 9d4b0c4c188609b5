from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import WebhookDeliveryStatus
from .fragments import PageFrame, WebhookEndpointSummary


class WebhookEndpointDetail(BaseModel):
    viewer: "WebhookEndpointDetailViewer"
    webhook_endpoint: Optional["WebhookEndpointDetailWebhookEndpoint"] = Field(
        alias="webhookEndpoint"
    )
    webhook_deliveries: Optional["WebhookEndpointDetailWebhookDeliveries"] = Field(
        alias="webhookDeliveries"
    )


WebhookEndpointDetailViewer = PageFrame
WebhookEndpointDetailWebhookEndpoint = WebhookEndpointSummary


class WebhookEndpointDetailWebhookDeliveries(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "WebhookEndpointDetailWebhookDeliveriesPageInfo" = Field(
        alias="pageInfo"
    )
    edges: list["WebhookEndpointDetailWebhookDeliveriesEdges"]


class WebhookEndpointDetailWebhookDeliveriesPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class WebhookEndpointDetailWebhookDeliveriesEdges(BaseModel):
    node: "WebhookEndpointDetailWebhookDeliveriesEdgesNode"


class WebhookEndpointDetailWebhookDeliveriesEdgesNode(BaseModel):
    id: str
    webhook_id: str = Field(alias="webhookId")
    event_type: str = Field(alias="eventType")
    status: WebhookDeliveryStatus
    attempts: int
    response_status: Optional[int] = Field(alias="responseStatus")
    duration_ms: Optional[int] = Field(alias="durationMs")
    last_error: Optional[str] = Field(alias="lastError")
    created_at: datetime = Field(alias="createdAt")
    last_attempt_at: Optional[datetime] = Field(alias="lastAttemptAt")
    next_attempt_at: Optional[datetime] = Field(alias="nextAttemptAt")


WebhookEndpointDetail.model_rebuild()
WebhookEndpointDetailWebhookDeliveries.model_rebuild()
WebhookEndpointDetailWebhookDeliveriesEdges.model_rebuild()
