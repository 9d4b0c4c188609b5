from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DeleteArea(BaseModel):
    delete_area: "DeleteAreaDeleteArea" = Field(alias="deleteArea")


class DeleteAreaDeleteArea(BaseModel):
    user_errors: list["DeleteAreaDeleteAreaUserErrors"] = Field(alias="userErrors")


DeleteAreaDeleteAreaUserErrors = Problem
DeleteArea.model_rebuild()
DeleteAreaDeleteArea.model_rebuild()
