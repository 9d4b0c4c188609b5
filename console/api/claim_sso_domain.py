from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ClaimSsoDomain(BaseModel):
    claim_domain: "ClaimSsoDomainClaimDomain" = Field(alias="claimDomain")


class ClaimSsoDomainClaimDomain(BaseModel):
    domain: Optional["ClaimSsoDomainClaimDomainDomain"]
    user_errors: list["ClaimSsoDomainClaimDomainUserErrors"] = Field(alias="userErrors")


class ClaimSsoDomainClaimDomainDomain(BaseModel):
    id: str
    name: str


ClaimSsoDomainClaimDomainUserErrors = Problem
ClaimSsoDomain.model_rebuild()
ClaimSsoDomainClaimDomain.model_rebuild()
