from pydantic import Field

from .base_model import BaseModel


class WebhookEventTypes(BaseModel):
    webhook_event_types: list["WebhookEventTypesWebhookEventTypes"] = Field(
        alias="webhookEventTypes"
    )


class WebhookEventTypesWebhookEventTypes(BaseModel):
    name: str
    description: str


WebhookEventTypes.model_rebuild()
