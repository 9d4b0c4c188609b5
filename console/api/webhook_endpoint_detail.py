from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import WebhookDeliveryStatus
from .fragments import WebhookEndpointSummary


class WebhookEndpointDetail(BaseModel):
    webhook_endpoint: Optional["WebhookEndpointDetailWebhookEndpoint"] = Field(
        alias="webhookEndpoint"
    )


class WebhookEndpointDetailWebhookEndpoint(WebhookEndpointSummary):
    deliveries: "WebhookEndpointDetailWebhookEndpointDeliveries"


class WebhookEndpointDetailWebhookEndpointDeliveries(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "WebhookEndpointDetailWebhookEndpointDeliveriesPageInfo" = Field(
        alias="pageInfo"
    )
    edges: list["WebhookEndpointDetailWebhookEndpointDeliveriesEdges"]


class WebhookEndpointDetailWebhookEndpointDeliveriesPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class WebhookEndpointDetailWebhookEndpointDeliveriesEdges(BaseModel):
    node: "WebhookEndpointDetailWebhookEndpointDeliveriesEdgesNode"


class WebhookEndpointDetailWebhookEndpointDeliveriesEdgesNode(BaseModel):
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
WebhookEndpointDetailWebhookEndpoint.model_rebuild()
WebhookEndpointDetailWebhookEndpointDeliveries.model_rebuild()
WebhookEndpointDetailWebhookEndpointDeliveriesEdges.model_rebuild()
