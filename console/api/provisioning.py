from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import PageFrame


class Provisioning(BaseModel):
    viewer: "ProvisioningViewer"
    scim_tokens: Optional[list["ProvisioningScimTokens"]] = Field(alias="scimTokens")


ProvisioningViewer = PageFrame


class ProvisioningScimTokens(BaseModel):
    id: str
    token_hint: str = Field(alias="tokenHint")
    created_at: datetime = Field(alias="createdAt")
    last_used_at: Optional[datetime] = Field(alias="lastUsedAt")
    revoked_at: Optional[datetime] = Field(alias="revokedAt")


Provisioning.model_rebuild()
