from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RevokeScimToken(BaseModel):
    revoke_scim_token: "RevokeScimTokenRevokeScimToken" = Field(alias="revokeScimToken")


class RevokeScimTokenRevokeScimToken(BaseModel):
    revoked_scim_token_id: Optional[str] = Field(alias="revokedScimTokenId")
    user_errors: list["RevokeScimTokenRevokeScimTokenUserErrors"] = Field(
        alias="userErrors"
    )


RevokeScimTokenRevokeScimTokenUserErrors = Problem
RevokeScimToken.model_rebuild()
RevokeScimTokenRevokeScimToken.model_rebuild()
