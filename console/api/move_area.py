from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class MoveArea(BaseModel):
    move_area: "MoveAreaMoveArea" = Field(alias="moveArea")


class MoveAreaMoveArea(BaseModel):
    user_errors: list["MoveAreaMoveAreaUserErrors"] = Field(alias="userErrors")


MoveAreaMoveAreaUserErrors = Problem
MoveArea.model_rebuild()
MoveAreaMoveArea.model_rebuild()
