from pydantic import Field

from .base_model import BaseModel
from .fragments import WebhookEndpointSummary


class WebhookEndpoints(BaseModel):
    webhook_endpoints: list["WebhookEndpointsWebhookEndpoints"] = Field(
        alias="webhookEndpoints"
    )


WebhookEndpointsWebhookEndpoints = WebhookEndpointSummary
WebhookEndpoints.model_rebuild()
