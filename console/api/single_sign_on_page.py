from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Role
from .fragments import PageFrame


class SingleSignOnPage(BaseModel):
    viewer: "SingleSignOnPageViewer"
    single_sign_on: "SingleSignOnPageSingleSignOn" = Field(alias="singleSignOn")


SingleSignOnPageViewer = PageFrame


class SingleSignOnPageSingleSignOn(BaseModel):
    redirect_uri: str = Field(alias="redirectUri")
    domains: list["SingleSignOnPageSingleSignOnDomains"]
    connection: Optional["SingleSignOnPageSingleSignOnConnection"]


class SingleSignOnPageSingleSignOnDomains(BaseModel):
    id: str
    name: str
    verified: bool
    verified_at: Optional[datetime] = Field(alias="verifiedAt")
    txt_record_name: str = Field(alias="txtRecordName")
    txt_record_value: str = Field(alias="txtRecordValue")
    created_at: datetime = Field(alias="createdAt")


class SingleSignOnPageSingleSignOnConnection(BaseModel):
    id: str
    issuer: str
    client_id: str = Field(alias="clientId")
    groups_claim: Optional[str] = Field(alias="groupsClaim")
    group_roles: list["SingleSignOnPageSingleSignOnConnectionGroupRoles"] = Field(
        alias="groupRoles"
    )
    enforced: bool
    updated_at: datetime = Field(alias="updatedAt")


class SingleSignOnPageSingleSignOnConnectionGroupRoles(BaseModel):
    group: str
    role: Role


SingleSignOnPage.model_rebuild()
SingleSignOnPageSingleSignOn.model_rebuild()
SingleSignOnPageSingleSignOnConnection.model_rebuild()
