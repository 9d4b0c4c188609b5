from pydantic import Field

from .base_model import BaseModel
from .fragments import PageFrame


class WebhookEventTypes(BaseModel):
    viewer: "WebhookEventTypesViewer"
    webhook_event_types: list["WebhookEventTypesWebhookEventTypes"] = Field(
        alias="webhookEventTypes"
    )


WebhookEventTypesViewer = PageFrame


class WebhookEventTypesWebhookEventTypes(BaseModel):
    name: str
    description: str


WebhookEventTypes.model_rebuild()
