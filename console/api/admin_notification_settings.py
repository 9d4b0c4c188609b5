from pydantic import Field

from .base_model import BaseModel


class AdminNotificationSettings(BaseModel):
    admin_notification_settings: "AdminNotificationSettingsAdminNotificationSettings" = Field(
        alias="adminNotificationSettings"
    )


class AdminNotificationSettingsAdminNotificationSettings(BaseModel):
    partner_request_mail: bool = Field(alias="partnerRequestMail")


AdminNotificationSettings.model_rebuild()
