from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class AssignTechnician(BaseModel):
    assign_technician: "AssignTechnicianAssignTechnician" = Field(
        alias="assignTechnician"
    )


class AssignTechnicianAssignTechnician(BaseModel):
    technician: Optional["AssignTechnicianAssignTechnicianTechnician"]
    user_errors: list["AssignTechnicianAssignTechnicianUserErrors"] = Field(
        alias="userErrors"
    )


class AssignTechnicianAssignTechnicianTechnician(BaseModel):
    user: "AssignTechnicianAssignTechnicianTechnicianUser"


class AssignTechnicianAssignTechnicianTechnicianUser(BaseModel):
    email: str


AssignTechnicianAssignTechnicianUserErrors = Problem
AssignTechnician.model_rebuild()
AssignTechnicianAssignTechnician.model_rebuild()
AssignTechnicianAssignTechnicianTechnician.model_rebuild()
