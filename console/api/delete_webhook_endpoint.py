from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DeleteWebhookEndpoint(BaseModel):
    delete_webhook_endpoint: "DeleteWebhookEndpointDeleteWebhookEndpoint" = Field(
        alias="deleteWebhookEndpoint"
    )


class DeleteWebhookEndpointDeleteWebhookEndpoint(BaseModel):
    deleted_endpoint_id: Optional[str] = Field(alias="deletedEndpointId")
    user_errors: list["DeleteWebhookEndpointDeleteWebhookEndpointUserErrors"] = Field(
        alias="userErrors"
    )


DeleteWebhookEndpointDeleteWebhookEndpointUserErrors = Problem
DeleteWebhookEndpoint.model_rebuild()
DeleteWebhookEndpointDeleteWebhookEndpoint.model_rebuild()
