from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import StepCodeStatus
from .fragments import PageFrame


class StepCodes(BaseModel):
    viewer: "StepCodesViewer"
    step_partner_codes: "StepCodesStepPartnerCodes" = Field(alias="stepPartnerCodes")


StepCodesViewer = PageFrame


class StepCodesStepPartnerCodes(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "StepCodesStepPartnerCodesPageInfo" = Field(alias="pageInfo")
    edges: list["StepCodesStepPartnerCodesEdges"]


class StepCodesStepPartnerCodesPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class StepCodesStepPartnerCodesEdges(BaseModel):
    node: "StepCodesStepPartnerCodesEdgesNode"


class StepCodesStepPartnerCodesEdgesNode(BaseModel):
    id: str
    code: str
    company: Optional[str]
    status: StepCodeStatus
    created_at: datetime = Field(alias="createdAt")
    organization: Optional["StepCodesStepPartnerCodesEdgesNodeOrganization"]


class StepCodesStepPartnerCodesEdgesNodeOrganization(BaseModel):
    id: str
    name: str


StepCodes.model_rebuild()
StepCodesStepPartnerCodes.model_rebuild()
StepCodesStepPartnerCodesEdges.model_rebuild()
StepCodesStepPartnerCodesEdgesNode.model_rebuild()
