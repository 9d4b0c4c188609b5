from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Role
from .fragments import PageFrame


class ServiceAccounts(BaseModel):
    viewer: "ServiceAccountsViewer"
    service_accounts: "ServiceAccountsServiceAccounts" = Field(alias="serviceAccounts")


ServiceAccountsViewer = PageFrame


class ServiceAccountsServiceAccounts(BaseModel):
    edges: list["ServiceAccountsServiceAccountsEdges"]


class ServiceAccountsServiceAccountsEdges(BaseModel):
    node: "ServiceAccountsServiceAccountsEdgesNode"


class ServiceAccountsServiceAccountsEdgesNode(BaseModel):
    id: str
    name: str
    role: Role
    client_id: str = Field(alias="clientId")
    secret_hint: str = Field(alias="secretHint")
    created_at: datetime = Field(alias="createdAt")
    secret_rotated_at: Optional[datetime] = Field(alias="secretRotatedAt")
    last_used_at: Optional[datetime] = Field(alias="lastUsedAt")
    created_by: Optional["ServiceAccountsServiceAccountsEdgesNodeCreatedBy"] = Field(
        alias="createdBy"
    )


class ServiceAccountsServiceAccountsEdgesNodeCreatedBy(BaseModel):
    email: str


ServiceAccounts.model_rebuild()
ServiceAccountsServiceAccounts.model_rebuild()
ServiceAccountsServiceAccountsEdges.model_rebuild()
ServiceAccountsServiceAccountsEdgesNode.model_rebuild()
