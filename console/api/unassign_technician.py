from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class UnassignTechnician(BaseModel):
    unassign_technician: "UnassignTechnicianUnassignTechnician" = Field(
        alias="unassignTechnician"
    )


class UnassignTechnicianUnassignTechnician(BaseModel):
    user_errors: list["UnassignTechnicianUnassignTechnicianUserErrors"] = Field(
        alias="userErrors"
    )


UnassignTechnicianUnassignTechnicianUserErrors = Problem
UnassignTechnician.model_rebuild()
UnassignTechnicianUnassignTechnician.model_rebuild()
