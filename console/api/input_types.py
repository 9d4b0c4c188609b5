from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import DeviceKind, DeviceStatus, Role


class ActivateAccountInput(BaseModel):
    """The activation page: the link's token, the emailed code, a password."""

    token: str
    code: str
    new_password: str = Field(alias="newPassword")


class AddStepPartnerCodesInput(BaseModel):
    codes: list["NewStepPartnerCodeInput"]
    "1 to 500 codes; all are added or none."


class AttachLicenseInput(BaseModel):
    license_id: str = Field(alias="licenseId")
    device_id: str = Field(alias="deviceId")


class CancelInvitationInput(BaseModel):
    invitation_id: str = Field(alias="invitationId")


class ChangeMemberRoleInput(BaseModel):
    user_id: str = Field(alias="userId")
    role: Role
    "ADMIN or USER."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class ConfirmTotpEnrollmentInput(BaseModel):
    code: str
    "The current six-digit code of the new secret."


class CreateAreaInput(BaseModel):
    location_id: str = Field(alias="locationId")
    name: str
    "Unique in the location, whatever the case."


class CreateCustomerOrganizationInput(BaseModel):
    """ "Create an Organization now": the customer information form."""

    organization_name: str = Field(alias="organizationName")
    country: str
    "ISO 3166-1 alpha-2, e.g. DE."
    address: Optional[str] = None
    phone: Optional[str] = None
    first_name: str = Field(alias="firstName")
    last_name: str = Field(alias="lastName")
    email: str
    accept_terms_of_service: bool = Field(alias="acceptTermsOfService")
    accept_privacy_policy: bool = Field(alias="acceptPrivacyPolicy")


class CreateLocationInput(BaseModel):
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."
    name: str
    "Unique in the organization, whatever the case."
    time_zone: str = Field(alias="timeZone")
    "IANA time zone, e.g. Europe/Berlin."
    address: Optional[str] = None


class CreateManagedCustomerInput(BaseModel):
    """A customer organization a partner creates on the customer's behalf: the sign-up form's organization fields, and the two boxes the partner ticks for the customer."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "The partner organization; defaults to the working one."
    organization_name: str = Field(alias="organizationName")
    country: str
    "ISO 3166-1 alpha-2, e.g. DE."
    address: Optional[str] = None
    phone: Optional[str] = None
    accept_terms_of_service: bool = Field(alias="acceptTermsOfService")
    accept_privacy_policy: bool = Field(alias="acceptPrivacyPolicy")


class DeleteAreaInput(BaseModel):
    id: str


class DeleteLocationInput(BaseModel):
    id: str


class DeleteOrganizationInput(BaseModel):
    organization_id: str = Field(alias="organizationId")
    confirm_name: str = Field(alias="confirmName")
    "The organization's name, typed again."


class DetachLicenseInput(BaseModel):
    license_id: str = Field(alias="licenseId")
    device_id: str = Field(alias="deviceId")


class DeviceFilter(BaseModel):
    """Every given criterion must hold."""

    location_id: Optional[str] = Field(alias="locationId", default=None)
    area_id: Optional[str] = Field(alias="areaId", default=None)
    kind: Optional[DeviceKind] = None
    status: Optional[DeviceStatus] = None


class InviteMemberInput(BaseModel):
    email: str
    role: Role
    "ADMIN or USER."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."
    first_name: Optional[str] = Field(alias="firstName", default=None)
    "For a new account: how the invitation email greets them."
    last_name: Optional[str] = Field(alias="lastName", default=None)


class InvitePartnerInput(BaseModel):
    """A customer's Super Admin invites a partner by its STEP code."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "The customer organization; defaults to the working one."
    step_partner_code: str = Field(alias="stepPartnerCode")


class IssueLicenseKeysInput(BaseModel):
    product_key: str = Field(alias="productKey")
    term_days: int = Field(alias="termDays")
    seats: int = 1
    count: int = 1


class JoinAsStepPartnerInput(BaseModel):
    """ "Join as a STEP Partner": the information form and the code."""

    step_partner_code: str = Field(alias="stepPartnerCode")
    company_name: str = Field(alias="companyName")
    country: str
    "ISO 3166-1 alpha-2, e.g. DE."
    address: Optional[str] = None
    phone: Optional[str] = None
    first_name: str = Field(alias="firstName")
    last_name: str = Field(alias="lastName")
    email: str
    accept_terms_of_service: bool = Field(alias="acceptTermsOfService")
    accept_privacy_policy: bool = Field(alias="acceptPrivacyPolicy")


class LeaveOrganizationInput(BaseModel):
    organization_id: str = Field(alias="organizationId")


class MoveAreaInput(BaseModel):
    id: str
    location_id: str = Field(alias="locationId")
    "A location of the same organization; the area's devices move with it."


class MoveDeviceInput(BaseModel):
    id: str
    area_id: str = Field(alias="areaId")
    "An area of the same organization."


class NewStepPartnerCodeInput(BaseModel):
    """One code to add; without `code` one is generated."""

    code: Optional[str] = None
    company: Optional[str] = None


class PartnerMappingInput(BaseModel):
    mapping_id: str = Field(alias="mappingId")


class ReactivateOrganizationInput(BaseModel):
    organization_id: str = Field(alias="organizationId")


class RedeemLicenseKeyInput(BaseModel):
    key: str
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class RegisterDeviceInput(BaseModel):
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the area's organization, or else the working organization."
    area_id: Optional[str] = Field(alias="areaId", default=None)
    "Defaults to the organization's default area."
    kind: DeviceKind
    serial_number: str = Field(alias="serialNumber")
    "4 to 64 of A-Z 0-9 - . _ / (stored upper case). Unique in the platform."
    mac_address: str = Field(alias="macAddress")
    "AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff (stored aa:bb:cc:dd:ee:ff). Unique in the platform."
    model: str
    name: Optional[str] = None
    "Defaults to the serial number."


class RemoveDeviceInput(BaseModel):
    id: str


class RemoveMemberInput(BaseModel):
    user_id: str = Field(alias="userId")
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class RenameAreaInput(BaseModel):
    id: str
    name: str


class RenameDeviceInput(BaseModel):
    id: str
    name: str


class ResendInvitationInput(BaseModel):
    invitation_id: str = Field(alias="invitationId")


class ResetPasswordInput(BaseModel):
    """The reset page: the emailed link's token and a new password."""

    token: str
    "The `token` of the emailed /reset-password link."
    new_password: str = Field(alias="newPassword")


class RevokeStepPartnerCodeInput(BaseModel):
    id: str


class SetOrganizationTwoFactorRequirementInput(BaseModel):
    required: bool
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Default: the working organization."


class StartTotpEnrollmentInput(BaseModel):
    """Starting TOTP enrollment asks for the account's password again."""

    password: str


class SuspendOrganizationInput(BaseModel):
    organization_id: str = Field(alias="organizationId")
    reason: str
    "Why (1 to 500 characters); kept with the organization and in the audit log."


class TechnicianInput(BaseModel):
    """A member of the partner's staff and a customer it supports."""

    customer_id: str = Field(alias="customerId")
    "The customer organization's id."
    user_id: str = Field(alias="userId")
    "A user of the partner organization."


class TransferSuperAdminInput(BaseModel):
    user_id: str = Field(alias="userId")
    "An active ADMIN of the organization."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class TwoFactorProofInput(BaseModel):
    """A current code from the authenticator app (or a recovery code, which is spent), or the account's password."""

    code: Optional[str] = None
    password: Optional[str] = None


class UpdateLocationInput(BaseModel):
    id: str
    name: Optional[str] = None
    "Omitted: unchanged."
    time_zone: Optional[str] = Field(alias="timeZone", default=None)
    "Omitted: unchanged."
    address: Optional[str] = None
    "Omitted: unchanged; null or empty: removed."


AddStepPartnerCodesInput.model_rebuild()
