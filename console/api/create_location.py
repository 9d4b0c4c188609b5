from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class CreateLocation(BaseModel):
    create_location: "CreateLocationCreateLocation" = Field(alias="createLocation")


class CreateLocationCreateLocation(BaseModel):
    location: Optional["CreateLocationCreateLocationLocation"]
    user_errors: list["CreateLocationCreateLocationUserErrors"] = Field(
        alias="userErrors"
    )


class CreateLocationCreateLocationLocation(BaseModel):
    id: str
    name: str


CreateLocationCreateLocationUserErrors = Problem
CreateLocation.model_rebuild()
CreateLocationCreateLocation.model_rebuild()
