from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import LicenseStatus
from .fragments import PageFrame


class Licenses(BaseModel):
    viewer: "LicensesViewer"
    license_summary: "LicensesLicenseSummary" = Field(alias="licenseSummary")
    licenses: "LicensesLicenses"


LicensesViewer = PageFrame


class LicensesLicenseSummary(BaseModel):
    available: int
    in_use: int = Field(alias="inUse")
    expiring_soon: int = Field(alias="expiringSoon")
    expired: int


class LicensesLicenses(BaseModel):
    edges: list["LicensesLicensesEdges"]


class LicensesLicensesEdges(BaseModel):
    node: "LicensesLicensesEdgesNode"


class LicensesLicensesEdgesNode(BaseModel):
    id: str
    key_hint: str = Field(alias="keyHint")
    status: LicenseStatus
    seats: int
    seats_used: int = Field(alias="seatsUsed")
    term_days: int = Field(alias="termDays")
    expires_at: Optional[datetime] = Field(alias="expiresAt")
    product: "LicensesLicensesEdgesNodeProduct"


class LicensesLicensesEdgesNodeProduct(BaseModel):
    name: str


Licenses.model_rebuild()
LicensesLicenses.model_rebuild()
LicensesLicensesEdges.model_rebuild()
LicensesLicensesEdgesNode.model_rebuild()
