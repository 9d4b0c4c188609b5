from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class UpdateAdminNotificationSettings(BaseModel):
    update_admin_notification_settings: "UpdateAdminNotificationSettingsUpdateAdminNotificationSettings" = Field(
        alias="updateAdminNotificationSettings"
    )


class UpdateAdminNotificationSettingsUpdateAdminNotificationSettings(BaseModel):
    settings: Optional[
        "UpdateAdminNotificationSettingsUpdateAdminNotificationSettingsSettings"
    ]
    user_errors: list[
        "UpdateAdminNotificationSettingsUpdateAdminNotificationSettingsUserErrors"
    ] = Field(alias="userErrors")


class UpdateAdminNotificationSettingsUpdateAdminNotificationSettingsSettings(BaseModel):
    partner_request_mail: bool = Field(alias="partnerRequestMail")


UpdateAdminNotificationSettingsUpdateAdminNotificationSettingsUserErrors = Problem
UpdateAdminNotificationSettings.model_rebuild()
UpdateAdminNotificationSettingsUpdateAdminNotificationSettings.model_rebuild()
