from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class UpdateLocation(BaseModel):
    update_location: "UpdateLocationUpdateLocation" = Field(alias="updateLocation")


class UpdateLocationUpdateLocation(BaseModel):
    location: Optional["UpdateLocationUpdateLocationLocation"]
    user_errors: list["UpdateLocationUpdateLocationUserErrors"] = Field(
        alias="userErrors"
    )


class UpdateLocationUpdateLocationLocation(BaseModel):
    id: str
    name: str


UpdateLocationUpdateLocationUserErrors = Problem
UpdateLocation.model_rebuild()
UpdateLocationUpdateLocation.model_rebuild()
