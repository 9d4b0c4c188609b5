from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Problem(BaseModel):
    field: Optional[list[str]]
    message: str
    code: str


class WebhookEndpointSummary(BaseModel):
    id: str
    url: str
    description: Optional[str]
    events: list[str]
    enabled: bool
    disabled_reason: Optional[str] = Field(alias="disabledReason")
    failing_since: Optional[datetime] = Field(alias="failingSince")
    previous_secret_expires_at: Optional[datetime] = Field(
        alias="previousSecretExpiresAt"
    )


Problem.model_rebuild()
WebhookEndpointSummary.model_rebuild()
