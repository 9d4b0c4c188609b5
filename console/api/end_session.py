from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class EndSession(BaseModel):
    end_session: "EndSessionEndSession" = Field(alias="endSession")


class EndSessionEndSession(BaseModel):
    user_errors: list["EndSessionEndSessionUserErrors"] = Field(alias="userErrors")


EndSessionEndSessionUserErrors = Problem
EndSession.model_rebuild()
EndSessionEndSession.model_rebuild()
