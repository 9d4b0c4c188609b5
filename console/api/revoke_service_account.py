from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RevokeServiceAccount(BaseModel):
    revoke_service_account: "RevokeServiceAccountRevokeServiceAccount" = Field(
        alias="revokeServiceAccount"
    )


class RevokeServiceAccountRevokeServiceAccount(BaseModel):
    revoked_service_account_id: Optional[str] = Field(alias="revokedServiceAccountId")
    user_errors: list["RevokeServiceAccountRevokeServiceAccountUserErrors"] = Field(
        alias="userErrors"
    )


RevokeServiceAccountRevokeServiceAccountUserErrors = Problem
RevokeServiceAccount.model_rebuild()
RevokeServiceAccountRevokeServiceAccount.model_rebuild()
