from pydantic import Field

from .base_model import BaseModel
from .enums import LicenseStatus


class AttachableLicenses(BaseModel):
    licenses: "AttachableLicensesLicenses"


class AttachableLicensesLicenses(BaseModel):
    edges: list["AttachableLicensesLicensesEdges"]


class AttachableLicensesLicensesEdges(BaseModel):
    node: "AttachableLicensesLicensesEdgesNode"


class AttachableLicensesLicensesEdgesNode(BaseModel):
    id: str
    key_hint: str = Field(alias="keyHint")
    status: LicenseStatus
    seats_available: int = Field(alias="seatsAvailable")
    product: "AttachableLicensesLicensesEdgesNodeProduct"


class AttachableLicensesLicensesEdgesNodeProduct(BaseModel):
    name: str


AttachableLicenses.model_rebuild()
AttachableLicensesLicenses.model_rebuild()
AttachableLicensesLicensesEdges.model_rebuild()
AttachableLicensesLicensesEdgesNode.model_rebuild()
