from pydantic import Field

from .base_model import BaseModel
from .enums import Role
from .fragments import WebhookEndpointSummary


class WebhookEndpoints(BaseModel):
    viewer: "WebhookEndpointsViewer"
    webhook_endpoints: list["WebhookEndpointsWebhookEndpoints"] = Field(
        alias="webhookEndpoints"
    )


class WebhookEndpointsViewer(BaseModel):
    role: Role


WebhookEndpointsWebhookEndpoints = WebhookEndpointSummary
WebhookEndpoints.model_rebuild()
