from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DeleteOrganization(BaseModel):
    delete_organization: "DeleteOrganizationDeleteOrganization" = Field(
        alias="deleteOrganization"
    )


class DeleteOrganizationDeleteOrganization(BaseModel):
    deleted_organization_id: Optional[str] = Field(alias="deletedOrganizationId")
    remaining: Optional["DeleteOrganizationDeleteOrganizationRemaining"]
    user_errors: list["DeleteOrganizationDeleteOrganizationUserErrors"] = Field(
        alias="userErrors"
    )


class DeleteOrganizationDeleteOrganizationRemaining(BaseModel):
    other_members: int = Field(alias="otherMembers")
    devices: int
    licenses: int
    pending_invitations: int = Field(alias="pendingInvitations")
    partner_mappings: int = Field(alias="partnerMappings")


DeleteOrganizationDeleteOrganizationUserErrors = Problem
DeleteOrganization.model_rebuild()
DeleteOrganizationDeleteOrganization.model_rebuild()
