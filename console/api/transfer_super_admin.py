from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class TransferSuperAdmin(BaseModel):
    transfer_super_admin: "TransferSuperAdminTransferSuperAdmin" = Field(
        alias="transferSuperAdmin"
    )


class TransferSuperAdminTransferSuperAdmin(BaseModel):
    user_errors: list["TransferSuperAdminTransferSuperAdminUserErrors"] = Field(
        alias="userErrors"
    )


TransferSuperAdminTransferSuperAdminUserErrors = Problem
TransferSuperAdmin.model_rebuild()
TransferSuperAdminTransferSuperAdmin.model_rebuild()
