from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RenameArea(BaseModel):
    rename_area: "RenameAreaRenameArea" = Field(alias="renameArea")


class RenameAreaRenameArea(BaseModel):
    user_errors: list["RenameAreaRenameAreaUserErrors"] = Field(alias="userErrors")


RenameAreaRenameAreaUserErrors = Problem
RenameArea.model_rebuild()
RenameAreaRenameArea.model_rebuild()
