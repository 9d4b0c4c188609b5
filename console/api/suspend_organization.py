from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationStatus
from .fragments import Problem


class SuspendOrganization(BaseModel):
    suspend_organization: "SuspendOrganizationSuspendOrganization" = Field(
        alias="suspendOrganization"
    )


class SuspendOrganizationSuspendOrganization(BaseModel):
    organization: Optional["SuspendOrganizationSuspendOrganizationOrganization"]
    user_errors: list["SuspendOrganizationSuspendOrganizationUserErrors"] = Field(
        alias="userErrors"
    )


class SuspendOrganizationSuspendOrganizationOrganization(BaseModel):
    id: str
    name: str
    status: OrganizationStatus


SuspendOrganizationSuspendOrganizationUserErrors = Problem
SuspendOrganization.model_rebuild()
SuspendOrganizationSuspendOrganization.model_rebuild()
