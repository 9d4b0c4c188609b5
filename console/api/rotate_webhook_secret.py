from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RotateWebhookSecret(BaseModel):
    rotate_webhook_secret: "RotateWebhookSecretRotateWebhookSecret" = Field(
        alias="rotateWebhookSecret"
    )


class RotateWebhookSecretRotateWebhookSecret(BaseModel):
    endpoint: Optional["RotateWebhookSecretRotateWebhookSecretEndpoint"]
    secret: Optional[str]
    user_errors: list["RotateWebhookSecretRotateWebhookSecretUserErrors"] = Field(
        alias="userErrors"
    )


class RotateWebhookSecretRotateWebhookSecretEndpoint(BaseModel):
    id: str
    url: str
    previous_secret_expires_at: Optional[datetime] = Field(
        alias="previousSecretExpiresAt"
    )


RotateWebhookSecretRotateWebhookSecretUserErrors = Problem
RotateWebhookSecret.model_rebuild()
RotateWebhookSecretRotateWebhookSecret.model_rebuild()
