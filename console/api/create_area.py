from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class CreateArea(BaseModel):
    create_area: "CreateAreaCreateArea" = Field(alias="createArea")


class CreateAreaCreateArea(BaseModel):
    area: Optional["CreateAreaCreateAreaArea"]
    user_errors: list["CreateAreaCreateAreaUserErrors"] = Field(alias="userErrors")


class CreateAreaCreateAreaArea(BaseModel):
    id: str
    name: str


CreateAreaCreateAreaUserErrors = Problem
CreateArea.model_rebuild()
CreateAreaCreateArea.model_rebuild()
