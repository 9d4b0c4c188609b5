from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import StepCodeImportOutcome
from .fragments import Problem


class ImportStepCodes(BaseModel):
    import_step_partner_codes: "ImportStepCodesImportStepPartnerCodes" = Field(
        alias="importStepPartnerCodes"
    )


class ImportStepCodesImportStepPartnerCodes(BaseModel):
    report: Optional["ImportStepCodesImportStepPartnerCodesReport"]
    user_errors: list["ImportStepCodesImportStepPartnerCodesUserErrors"] = Field(
        alias="userErrors"
    )


class ImportStepCodesImportStepPartnerCodesReport(BaseModel):
    added: int
    skipped: int
    invalid: int
    rows: list["ImportStepCodesImportStepPartnerCodesReportRows"]


class ImportStepCodesImportStepPartnerCodesReportRows(BaseModel):
    line: int
    code: Optional[str]
    company: Optional[str]
    outcome: StepCodeImportOutcome
    reason: Optional[str]


ImportStepCodesImportStepPartnerCodesUserErrors = Problem
ImportStepCodes.model_rebuild()
ImportStepCodesImportStepPartnerCodes.model_rebuild()
ImportStepCodesImportStepPartnerCodesReport.model_rebuild()
