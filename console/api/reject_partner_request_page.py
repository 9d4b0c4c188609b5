from pydantic import Field

from .base_model import BaseModel
from .fragments import PageFrame, PendingPartnerRequest


class RejectPartnerRequestPage(BaseModel):
    viewer: "RejectPartnerRequestPageViewer"
    partner_requests: "RejectPartnerRequestPagePartnerRequests" = Field(
        alias="partnerRequests"
    )


RejectPartnerRequestPageViewer = PageFrame


class RejectPartnerRequestPagePartnerRequests(BaseModel):
    edges: list["RejectPartnerRequestPagePartnerRequestsEdges"]


class RejectPartnerRequestPagePartnerRequestsEdges(BaseModel):
    node: "RejectPartnerRequestPagePartnerRequestsEdgesNode"


RejectPartnerRequestPagePartnerRequestsEdgesNode = PendingPartnerRequest
RejectPartnerRequestPage.model_rebuild()
RejectPartnerRequestPagePartnerRequests.model_rebuild()
RejectPartnerRequestPagePartnerRequestsEdges.model_rebuild()
