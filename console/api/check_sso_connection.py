from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class CheckSsoConnection(BaseModel):
    test_single_sign_on: "CheckSsoConnectionTestSingleSignOn" = Field(
        alias="testSingleSignOn"
    )


class CheckSsoConnectionTestSingleSignOn(BaseModel):
    checks: Optional[list["CheckSsoConnectionTestSingleSignOnChecks"]]
    user_errors: list["CheckSsoConnectionTestSingleSignOnUserErrors"] = Field(
        alias="userErrors"
    )


class CheckSsoConnectionTestSingleSignOnChecks(BaseModel):
    code: str
    name: str
    passed: Optional[bool]
    explanation: str


CheckSsoConnectionTestSingleSignOnUserErrors = Problem
CheckSsoConnection.model_rebuild()
CheckSsoConnectionTestSingleSignOn.model_rebuild()
