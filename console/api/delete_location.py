from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DeleteLocation(BaseModel):
    delete_location: "DeleteLocationDeleteLocation" = Field(alias="deleteLocation")


class DeleteLocationDeleteLocation(BaseModel):
    user_errors: list["DeleteLocationDeleteLocationUserErrors"] = Field(
        alias="userErrors"
    )


DeleteLocationDeleteLocationUserErrors = Problem
DeleteLocation.model_rebuild()
DeleteLocationDeleteLocation.model_rebuild()
