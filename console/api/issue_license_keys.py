from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class IssueLicenseKeys(BaseModel):
    issue_license_keys: "IssueLicenseKeysIssueLicenseKeys" = Field(
        alias="issueLicenseKeys"
    )


class IssueLicenseKeysIssueLicenseKeys(BaseModel):
    license_keys: Optional[list["IssueLicenseKeysIssueLicenseKeysLicenseKeys"]] = Field(
        alias="licenseKeys"
    )
    user_errors: list["IssueLicenseKeysIssueLicenseKeysUserErrors"] = Field(
        alias="userErrors"
    )


class IssueLicenseKeysIssueLicenseKeysLicenseKeys(BaseModel):
    key: str
    license: "IssueLicenseKeysIssueLicenseKeysLicenseKeysLicense"


class IssueLicenseKeysIssueLicenseKeysLicenseKeysLicense(BaseModel):
    id: str
    term_days: int = Field(alias="termDays")
    seats: int
    product: "IssueLicenseKeysIssueLicenseKeysLicenseKeysLicenseProduct"


class IssueLicenseKeysIssueLicenseKeysLicenseKeysLicenseProduct(BaseModel):
    key: str
    name: str


IssueLicenseKeysIssueLicenseKeysUserErrors = Problem
IssueLicenseKeys.model_rebuild()
IssueLicenseKeysIssueLicenseKeys.model_rebuild()
IssueLicenseKeysIssueLicenseKeysLicenseKeys.model_rebuild()
IssueLicenseKeysIssueLicenseKeysLicenseKeysLicense.model_rebuild()
