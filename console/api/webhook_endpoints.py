from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import PageFrame, WebhookEndpointSummary


class WebhookEndpoints(BaseModel):
    viewer: "WebhookEndpointsViewer"
    webhook_endpoints: Optional[list["WebhookEndpointsWebhookEndpoints"]] = Field(
        alias="webhookEndpoints"
    )


WebhookEndpointsViewer = PageFrame
WebhookEndpointsWebhookEndpoints = WebhookEndpointSummary
WebhookEndpoints.model_rebuild()
