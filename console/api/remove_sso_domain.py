from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RemoveSsoDomain(BaseModel):
    remove_domain: "RemoveSsoDomainRemoveDomain" = Field(alias="removeDomain")


class RemoveSsoDomainRemoveDomain(BaseModel):
    removed_domain_id: Optional[str] = Field(alias="removedDomainId")
    user_errors: list["RemoveSsoDomainRemoveDomainUserErrors"] = Field(
        alias="userErrors"
    )


RemoveSsoDomainRemoveDomainUserErrors = Problem
RemoveSsoDomain.model_rebuild()
RemoveSsoDomainRemoveDomain.model_rebuild()
