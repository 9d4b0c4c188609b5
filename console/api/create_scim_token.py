from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class CreateScimToken(BaseModel):
    create_scim_token: "CreateScimTokenCreateScimToken" = Field(alias="createScimToken")


class CreateScimTokenCreateScimToken(BaseModel):
    token: Optional[str]
    base_url: Optional[str] = Field(alias="baseUrl")
    scim_token: Optional["CreateScimTokenCreateScimTokenScimToken"] = Field(
        alias="scimToken"
    )
    user_errors: list["CreateScimTokenCreateScimTokenUserErrors"] = Field(
        alias="userErrors"
    )


class CreateScimTokenCreateScimTokenScimToken(BaseModel):
    id: str
    token_hint: str = Field(alias="tokenHint")


CreateScimTokenCreateScimTokenUserErrors = Problem
CreateScimToken.model_rebuild()
CreateScimTokenCreateScimToken.model_rebuild()
