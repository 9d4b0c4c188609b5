from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DetachLicense(BaseModel):
    detach_license: "DetachLicenseDetachLicense" = Field(alias="detachLicense")


class DetachLicenseDetachLicense(BaseModel):
    user_errors: list["DetachLicenseDetachLicenseUserErrors"] = Field(
        alias="userErrors"
    )


DetachLicenseDetachLicenseUserErrors = Problem
DetachLicense.model_rebuild()
DetachLicenseDetachLicense.model_rebuild()
