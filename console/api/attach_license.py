from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class AttachLicense(BaseModel):
    attach_license: "AttachLicenseAttachLicense" = Field(alias="attachLicense")


class AttachLicenseAttachLicense(BaseModel):
    user_errors: list["AttachLicenseAttachLicenseUserErrors"] = Field(
        alias="userErrors"
    )


AttachLicenseAttachLicenseUserErrors = Problem
AttachLicense.model_rebuild()
AttachLicenseAttachLicense.model_rebuild()
