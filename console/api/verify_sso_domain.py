from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class VerifySsoDomain(BaseModel):
    verify_domain: "VerifySsoDomainVerifyDomain" = Field(alias="verifyDomain")


class VerifySsoDomainVerifyDomain(BaseModel):
    domain: Optional["VerifySsoDomainVerifyDomainDomain"]
    user_errors: list["VerifySsoDomainVerifyDomainUserErrors"] = Field(
        alias="userErrors"
    )


class VerifySsoDomainVerifyDomainDomain(BaseModel):
    id: str
    name: str
    verified: bool


VerifySsoDomainVerifyDomainUserErrors = Problem
VerifySsoDomain.model_rebuild()
VerifySsoDomainVerifyDomain.model_rebuild()
