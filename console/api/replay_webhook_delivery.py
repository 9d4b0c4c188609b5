from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ReplayWebhookDelivery(BaseModel):
    replay_webhook_delivery: "ReplayWebhookDeliveryReplayWebhookDelivery" = Field(
        alias="replayWebhookDelivery"
    )


class ReplayWebhookDeliveryReplayWebhookDelivery(BaseModel):
    delivery: Optional["ReplayWebhookDeliveryReplayWebhookDeliveryDelivery"]
    user_errors: list["ReplayWebhookDeliveryReplayWebhookDeliveryUserErrors"] = Field(
        alias="userErrors"
    )


class ReplayWebhookDeliveryReplayWebhookDeliveryDelivery(BaseModel):
    id: str


ReplayWebhookDeliveryReplayWebhookDeliveryUserErrors = Problem
ReplayWebhookDelivery.model_rebuild()
ReplayWebhookDeliveryReplayWebhookDelivery.model_rebuild()
