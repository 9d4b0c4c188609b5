from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class CreateWebhookEndpoint(BaseModel):
    create_webhook_endpoint: "CreateWebhookEndpointCreateWebhookEndpoint" = Field(
        alias="createWebhookEndpoint"
    )


class CreateWebhookEndpointCreateWebhookEndpoint(BaseModel):
    endpoint: Optional["CreateWebhookEndpointCreateWebhookEndpointEndpoint"]
    secret: Optional[str]
    user_errors: list["CreateWebhookEndpointCreateWebhookEndpointUserErrors"] = Field(
        alias="userErrors"
    )


class CreateWebhookEndpointCreateWebhookEndpointEndpoint(BaseModel):
    id: str
    url: str


CreateWebhookEndpointCreateWebhookEndpointUserErrors = Problem
CreateWebhookEndpoint.model_rebuild()
CreateWebhookEndpointCreateWebhookEndpoint.model_rebuild()
