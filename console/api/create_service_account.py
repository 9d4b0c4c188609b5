from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Role
from .fragments import Problem


class CreateServiceAccount(BaseModel):
    create_service_account: "CreateServiceAccountCreateServiceAccount" = Field(
        alias="createServiceAccount"
    )


class CreateServiceAccountCreateServiceAccount(BaseModel):
    client_id: Optional[str] = Field(alias="clientId")
    client_secret: Optional[str] = Field(alias="clientSecret")
    service_account: Optional[
        "CreateServiceAccountCreateServiceAccountServiceAccount"
    ] = Field(alias="serviceAccount")
    user_errors: list["CreateServiceAccountCreateServiceAccountUserErrors"] = Field(
        alias="userErrors"
    )


class CreateServiceAccountCreateServiceAccountServiceAccount(BaseModel):
    id: str
    name: str
    role: Role


CreateServiceAccountCreateServiceAccountUserErrors = Problem
CreateServiceAccount.model_rebuild()
CreateServiceAccountCreateServiceAccount.model_rebuild()
