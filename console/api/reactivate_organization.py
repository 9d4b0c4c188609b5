from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationStatus
from .fragments import Problem


class ReactivateOrganization(BaseModel):
    reactivate_organization: "ReactivateOrganizationReactivateOrganization" = Field(
        alias="reactivateOrganization"
    )


class ReactivateOrganizationReactivateOrganization(BaseModel):
    organization: Optional["ReactivateOrganizationReactivateOrganizationOrganization"]
    user_errors: list["ReactivateOrganizationReactivateOrganizationUserErrors"] = Field(
        alias="userErrors"
    )


class ReactivateOrganizationReactivateOrganizationOrganization(BaseModel):
    id: str
    name: str
    status: OrganizationStatus


ReactivateOrganizationReactivateOrganizationUserErrors = Problem
ReactivateOrganization.model_rebuild()
ReactivateOrganizationReactivateOrganization.model_rebuild()
