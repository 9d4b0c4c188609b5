from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class EndOtherSessions(BaseModel):
    end_other_sessions: "EndOtherSessionsEndOtherSessions" = Field(
        alias="endOtherSessions"
    )


class EndOtherSessionsEndOtherSessions(BaseModel):
    ended_count: int = Field(alias="endedCount")
    user_errors: list["EndOtherSessionsEndOtherSessionsUserErrors"] = Field(
        alias="userErrors"
    )


EndOtherSessionsEndOtherSessionsUserErrors = Problem
EndOtherSessions.model_rebuild()
EndOtherSessionsEndOtherSessions.model_rebuild()
