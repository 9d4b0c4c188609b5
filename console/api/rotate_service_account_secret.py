from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Role
from .fragments import Problem


class RotateServiceAccountSecret(BaseModel):
    rotate_service_account_secret: "RotateServiceAccountSecretRotateServiceAccountSecret" = Field(
        alias="rotateServiceAccountSecret"
    )


class RotateServiceAccountSecretRotateServiceAccountSecret(BaseModel):
    client_secret: Optional[str] = Field(alias="clientSecret")
    service_account: Optional[
        "RotateServiceAccountSecretRotateServiceAccountSecretServiceAccount"
    ] = Field(alias="serviceAccount")
    user_errors: list[
        "RotateServiceAccountSecretRotateServiceAccountSecretUserErrors"
    ] = Field(alias="userErrors")


class RotateServiceAccountSecretRotateServiceAccountSecretServiceAccount(BaseModel):
    id: str
    name: str
    client_id: str = Field(alias="clientId")
    role: Role


RotateServiceAccountSecretRotateServiceAccountSecretUserErrors = Problem
RotateServiceAccountSecret.model_rebuild()
RotateServiceAccountSecretRotateServiceAccountSecret.model_rebuild()
