from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class UpdateWebhookEndpoint(BaseModel):
    update_webhook_endpoint: "UpdateWebhookEndpointUpdateWebhookEndpoint" = Field(
        alias="updateWebhookEndpoint"
    )


class UpdateWebhookEndpointUpdateWebhookEndpoint(BaseModel):
    endpoint: Optional["UpdateWebhookEndpointUpdateWebhookEndpointEndpoint"]
    user_errors: list["UpdateWebhookEndpointUpdateWebhookEndpointUserErrors"] = Field(
        alias="userErrors"
    )


class UpdateWebhookEndpointUpdateWebhookEndpointEndpoint(BaseModel):
    id: str
    enabled: bool


UpdateWebhookEndpointUpdateWebhookEndpointUserErrors = Problem
UpdateWebhookEndpoint.model_rebuild()
UpdateWebhookEndpointUpdateWebhookEndpoint.model_rebuild()
