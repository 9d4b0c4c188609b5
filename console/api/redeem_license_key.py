from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RedeemLicenseKey(BaseModel):
    redeem_license_key: "RedeemLicenseKeyRedeemLicenseKey" = Field(
        alias="redeemLicenseKey"
    )


class RedeemLicenseKeyRedeemLicenseKey(BaseModel):
    user_errors: list["RedeemLicenseKeyRedeemLicenseKeyUserErrors"] = Field(
        alias="userErrors"
    )


RedeemLicenseKeyRedeemLicenseKeyUserErrors = Problem
RedeemLicenseKey.model_rebuild()
RedeemLicenseKeyRedeemLicenseKey.model_rebuild()
