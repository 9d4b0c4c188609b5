from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import DeviceKind, DeviceStatus, PartnerAccessScope, Role


class AcceptInvitationInput(BaseModel):
    """An invitation you received, to accept."""

    invitation_id: str = Field(alias="invitationId")
    "The invitation's id (myInvitations)."


class ActivateAccountInput(BaseModel):
    """The activation page: the link's token, the emailed code, a password."""

    token: str
    "The `token` of the emailed activation link."
    code: str
    "The activation code from the email."
    new_password: str = Field(alias="newPassword")
    "The password to sign in with from now on (checked for strength)."
    first_name: Optional[str] = Field(alias="firstName", default=None)
    "Your name as you want it shown. An account an invitation made has none until you set it (whoever invited you does not choose it)."
    last_name: Optional[str] = Field(alias="lastName", default=None)
    "Your last name as you want it shown (see firstName)."


class AddStepPartnerCodesInput(BaseModel):
    """STEP partner codes to add to the registry."""

    codes: list["NewStepPartnerCodeInput"]
    "1 to 500 codes; all are added or none."


class AttachLicenseInput(BaseModel):
    """A license and a device of the same organization."""

    license_id: str = Field(alias="licenseId")
    "The license's id."
    device_id: str = Field(alias="deviceId")
    "The device's id."


class CancelInvitationInput(BaseModel):
    """An invitation to withdraw."""

    invitation_id: str = Field(alias="invitationId")
    "The invitation's id."


class ChangeMemberRoleInput(BaseModel):
    """A member and the role to give them."""

    user_id: str = Field(alias="userId")
    "The member's user id."
    role: Role
    "ADMIN or USER."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class ChangePasswordInput(BaseModel):
    """The current password, asked again, and the new one."""

    current_password: str = Field(alias="currentPassword")
    "The account's current password."
    new_password: str = Field(alias="newPassword")
    "The new password (the same policy as at activation and reset)."


class ClaimDomainInput(BaseModel):
    """An email domain to claim."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Which organization (default: the working organization)."
    domain: str
    "The domain, such as example.com (public mail domains are refused)."


class ConfigureSingleSignOnInput(BaseModel):
    """The organization's OpenID provider."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Which organization (default: the working organization)."
    issuer: str
    "The provider's issuer URL; its discovery document is fetched and checked."
    client_id: str = Field(alias="clientId")
    "The portal's client id at the provider."
    client_secret: str = Field(alias="clientSecret")
    "The client secret: stored sealed, never shown again."
    groups_claim: Optional[str] = Field(alias="groupsClaim", default=None)
    "The ID-token claim that lists the person's groups."
    group_roles: Optional[list["GroupRoleInput"]] = Field(
        alias="groupRoles", default=None
    )
    "Which role each group gives (ADMIN or USER)."
    enforced: Optional[bool] = None
    "Refuse password login to the verified domains' members (default: false; null on a reconfiguration keeps the current choice)."


class ConfirmTotpEnrollmentInput(BaseModel):
    """A code that proves the authenticator app holds the new secret."""

    code: str
    "The current six-digit code of the new secret."


class CreateAreaInput(BaseModel):
    """A new area in a location."""

    location_id: str = Field(alias="locationId")
    "The location's id."
    name: str
    "Unique in the location, whatever the case."


class CreateCustomerOrganizationInput(BaseModel):
    """ "Create an Organization now": the customer information form."""

    organization_name: str = Field(alias="organizationName")
    "The organization's name."
    country: str
    "ISO 3166-1 alpha-2, e.g. DE."
    address: Optional[str] = None
    "Postal address (optional)."
    phone: Optional[str] = None
    "Phone number (optional)."
    first_name: str = Field(alias="firstName")
    "The first user's (the Customer Super Admin's) first name."
    last_name: str = Field(alias="lastName")
    "The first user's (the Customer Super Admin's) last name."
    email: str
    "The first user's email: the activation email goes there."
    accept_terms_of_service: bool = Field(alias="acceptTermsOfService")
    "Must be true: the terms of service are accepted (recorded with version, time and client)."
    accept_privacy_policy: bool = Field(alias="acceptPrivacyPolicy")
    "Must be true: the privacy policy and agreement are accepted (recorded with version, time and client)."


class CreateLocationInput(BaseModel):
    """A new location of an organization."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."
    name: str
    "Unique in the organization, whatever the case."
    time_zone: str = Field(alias="timeZone")
    "IANA time zone, e.g. Europe/Berlin."
    address: Optional[str] = None
    "Postal address (optional)."


class CreateManagedCustomerInput(BaseModel):
    """A customer organization a partner creates on the customer's behalf: the sign-up form's organization fields, and the two boxes the partner ticks for the customer."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "The partner organization; defaults to the working one."
    organization_name: str = Field(alias="organizationName")
    "The customer organization's name."
    country: str
    "ISO 3166-1 alpha-2, e.g. DE."
    address: Optional[str] = None
    "Postal address (optional)."
    phone: Optional[str] = None
    "Phone number (optional)."
    accept_terms_of_service: bool = Field(alias="acceptTermsOfService")
    "Must be true: the partner accepts the terms of service for the customer."
    accept_privacy_policy: bool = Field(alias="acceptPrivacyPolicy")
    "Must be true: the partner accepts the privacy policy and agreement for the customer."


class CreateServiceAccountInput(BaseModel):
    """A new service account."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Which organization (default: the working organization)."
    name: str
    "What it is for (1 to 100 characters)."
    role: Role
    "ADMIN or USER; never SUPER_ADMIN (refused with INVALID_ROLE)."


class CreateWebhookEndpointInput(BaseModel):
    """A new webhook endpoint."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."
    url: str
    "The receiver: an https:// URL of a public address (plain http and loopback only in development)."
    events: list[str]
    "The event types to send (`webhookEventTypes`), at least one."
    description: Optional[str] = None
    "A note for people (at most 200 characters)."


class DeclineInvitationInput(BaseModel):
    """An invitation you received, to decline."""

    invitation_id: str = Field(alias="invitationId")
    "The invitation's id (myInvitations)."


class DeleteAreaInput(BaseModel):
    """An area to delete."""

    id: str
    "The area's id."


class DeleteLocationInput(BaseModel):
    """A location to delete."""

    id: str
    "The location's id."


class DeleteOrganizationInput(BaseModel):
    """The organization to delete, confirmed by its name."""

    organization_id: str = Field(alias="organizationId")
    "The organization's id."
    confirm_name: str = Field(alias="confirmName")
    "The organization's name, typed again."


class DetachLicenseInput(BaseModel):
    """A license and a device that holds it."""

    license_id: str = Field(alias="licenseId")
    "The license's id."
    device_id: str = Field(alias="deviceId")
    "The device's id."


class DeviceFilter(BaseModel):
    """Every given criterion must hold."""

    location_id: Optional[str] = Field(alias="locationId", default=None)
    "Only devices in this location."
    area_id: Optional[str] = Field(alias="areaId", default=None)
    "Only devices in this area."
    kind: Optional[DeviceKind] = None
    "Only cameras or only recorders."
    status: Optional[DeviceStatus] = None
    "Only devices in this connection state."


class EndSessionInput(BaseModel):
    """The session to sign out (one of `viewer.sessions`)."""

    id: str
    "The session's id."


class FinishPasskeyRegistrationInput(BaseModel):
    """The browser's answer to `startPasskeyRegistration`'s options."""

    credential: str
    "The `PublicKeyCredential` that `navigator.credentials.create()` returned, as JSON (`toJSON()`: binary values base64url)."
    name: Optional[str] = None
    'A name to tell it apart, e.g. "Work laptop" (at most 100).'


class GroupRoleInput(BaseModel):
    """A group of the provider's and the role its members get."""

    group: str
    "The group's name, as the groups claim carries it."
    role: Role
    "ADMIN or USER."


class ImportStepPartnerCodesInput(BaseModel):
    """A STEP code list in the `import-step-codes` format."""

    csv: str
    "The file's text: CSV with a header row, a `code` column and optionally `company` (other columns are ignored); at most 100 KiB and 2000 codes."


class InviteMemberInput(BaseModel):
    """Whom to invite into an organization, and with which role."""

    email: str
    "The email to invite."
    role: Role
    "ADMIN or USER."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."
    first_name: Optional[str] = Field(alias="firstName", default=None)
    "How the invitation email greets a person without an account. Never stored as their name: the invitee sets their own."
    last_name: Optional[str] = Field(alias="lastName", default=None)
    "Not stored (see firstName)."


class InvitePartnerInput(BaseModel):
    """A customer's Super Admin invites a partner by its STEP code."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "The customer organization; defaults to the working one."
    step_partner_code: str = Field(alias="stepPartnerCode")
    "The partner organization's STEP partner code."
    access_scope: Optional[PartnerAccessScope] = Field(
        alias="accessScope", default=None
    )
    "Which of its technicians' powers the partner gets; defaults to DEVICES_LICENSES_USERS."
    access_expires_at: Optional[datetime] = Field(alias="accessExpiresAt", default=None)
    "When the partner's access ends: in the future, at most two years from now; defaults to one year from now."


class IssueLicenseKeysInput(BaseModel):
    """What licenses to issue: one key per license."""

    product_key: str = Field(alias="productKey")
    "The product's key, e.g. HEALTHPRO."
    term_days: int = Field(alias="termDays")
    "The term in days, 1 to 3660, counted from the first attachment."
    seats: int = 1
    "How many devices may hold each license at once (1 to 10000)."
    count: int = 1
    "How many keys to issue (1 to 500)."


class JoinAsStepPartnerInput(BaseModel):
    """ "Join as a STEP Partner": the information form and the code."""

    step_partner_code: str = Field(alias="stepPartnerCode")
    "The STEP partner code the vendor gave the partner."
    company_name: str = Field(alias="companyName")
    "The partner company's name."
    country: str
    "ISO 3166-1 alpha-2, e.g. DE."
    address: Optional[str] = None
    "Postal address (optional)."
    phone: Optional[str] = None
    "Phone number (optional)."
    first_name: str = Field(alias="firstName")
    "The future Partner Super Admin's first name."
    last_name: str = Field(alias="lastName")
    "The future Partner Super Admin's last name."
    email: str
    "The future Partner Super Admin's email: the confirmation goes there."
    accept_terms_of_service: bool = Field(alias="acceptTermsOfService")
    "Must be true: the terms of service are accepted (recorded with version, time and client)."
    accept_privacy_policy: bool = Field(alias="acceptPrivacyPolicy")
    "Must be true: the privacy policy and agreement are accepted (recorded with version, time and client)."


class LeaveOrganizationInput(BaseModel):
    """An organization the viewer leaves."""

    organization_id: str = Field(alias="organizationId")
    "The organization's id."


class MoveAreaInput(BaseModel):
    """An area and the location to move it to."""

    id: str
    "The area's id."
    location_id: str = Field(alias="locationId")
    "A location of the same organization; the area's devices move with it."


class MoveDeviceInput(BaseModel):
    """A device and the area to move it to."""

    id: str
    "The device's id."
    area_id: str = Field(alias="areaId")
    "An area of the same organization."


class NewStepPartnerCodeInput(BaseModel):
    """One code to add; without `code` one is generated."""

    code: Optional[str] = None
    "The code (normalized: trimmed, upper case); omitted: a random one."
    company: Optional[str] = None
    "Whom the vendor gives it to (optional)."


class PartnerMappingInput(BaseModel):
    """A partner mapping to act on."""

    mapping_id: str = Field(alias="mappingId")
    "The partner mapping's id."


class ReactivateOrganizationInput(BaseModel):
    """A suspended organization to reactivate."""

    organization_id: str = Field(alias="organizationId")
    "The organization's id."


class RedeemLicenseKeyInput(BaseModel):
    """A license key to add to an organization."""

    key: str
    "The license key as issued (case and separators are ignored)."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class RegisterDeviceInput(BaseModel):
    """A camera or recorder to register."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the area's organization, or else the working organization."
    area_id: Optional[str] = Field(alias="areaId", default=None)
    "Defaults to the organization's default area."
    kind: DeviceKind
    "CAMERA or RECORDER."
    serial_number: str = Field(alias="serialNumber")
    "4 to 64 of A-Z 0-9 - . _ / (stored upper case). Unique in the platform."
    mac_address: str = Field(alias="macAddress")
    "AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff (stored aa:bb:cc:dd:ee:ff). Unique in the platform."
    model: str
    "The model name, as printed on the device."
    name: Optional[str] = None
    "Defaults to the serial number."


class RemoveDeviceInput(BaseModel):
    """A device to remove."""

    id: str
    "The device's id."


class RemoveMemberInput(BaseModel):
    """A member to remove from an organization."""

    user_id: str = Field(alias="userId")
    "The member's user id."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class RemovePasskeyInput(BaseModel):
    """One of the viewer's passkeys, to remove."""

    id: str
    "The passkey's id."


class RenameAreaInput(BaseModel):
    """An area and its new name."""

    id: str
    "The area's id."
    name: str
    "The new name, unique in the location whatever the case."


class RenameDeviceInput(BaseModel):
    """A device and its new name."""

    id: str
    "The device's id."
    name: str
    "The new display name."


class RenamePasskeyInput(BaseModel):
    """A new name for one of the viewer's passkeys."""

    id: str
    "The passkey's id."
    name: str
    "The new name (at most 100 characters)."


class ReplayWebhookDeliveryInput(BaseModel):
    """A webhook delivery to send again."""

    id: str
    "The delivery's id."


class RequestPartnerAccessExtensionInput(BaseModel):
    """A partner asks a customer for more time."""

    mapping_id: str = Field(alias="mappingId")
    "The partner mapping's id."
    until: Optional[datetime] = None
    "The end date asked for: later than the current one, at most two years from now; defaults to one more year."


class ResendInvitationInput(BaseModel):
    """An invitation to send again."""

    invitation_id: str = Field(alias="invitationId")
    "The invitation's id."


class ResetPasswordInput(BaseModel):
    """The reset page: the emailed link's token and a new password."""

    token: str
    "The `token` of the emailed /reset-password link."
    new_password: str = Field(alias="newPassword")
    "The new password (checked for strength)."


class RevokeStepPartnerCodeInput(BaseModel):
    """A STEP partner code to revoke."""

    id: str
    "The code's id."


class ServiceAccountIdInput(BaseModel):
    """A service account, by id."""

    id: str
    "The service account's id."


class SetOrganizationPasskeyRequirementInput(BaseModel):
    """Whether an organization requires passkeys of its members."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "The organization; the working organization when omitted."
    required: bool
    "True: members sign in with a passkey (those without one add one at their next login). False: any sign-in the organization otherwise allows."


class SetOrganizationTwoFactorRequirementInput(BaseModel):
    """Whether an organization requires two-factor login."""

    required: bool
    "True: members must sign in with TOTP; false: optional."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Default: the working organization."


class StartTotpEnrollmentInput(BaseModel):
    """Starting TOTP enrollment asks for the account's password again."""

    password: str
    "The account's current password."


class SuspendOrganizationInput(BaseModel):
    """An organization to suspend, and why."""

    organization_id: str = Field(alias="organizationId")
    "The customer or partner organization's id."
    reason: str
    "Why (1 to 500 characters); kept with the organization and in the audit log."


class TechnicianInput(BaseModel):
    """A member of the partner's staff and a customer it supports."""

    customer_id: str = Field(alias="customerId")
    "The customer organization's id."
    user_id: str = Field(alias="userId")
    "A user of the partner organization."


class TransferSuperAdminInput(BaseModel):
    """Who becomes the organization's Super Admin."""

    user_id: str = Field(alias="userId")
    "An active ADMIN of the organization."
    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Defaults to the working organization."


class TwoFactorProofInput(BaseModel):
    """A current code from the authenticator app (or a recovery code, which is spent), or the account's password."""

    code: Optional[str] = None
    "A current six-digit code, or a recovery code (spent on use)."
    password: Optional[str] = None
    "The account's password, instead of a code."


class UpdateAdminNotificationSettingsInput(BaseModel):
    """The internal admin's choice of optional emails."""

    partner_request_mail: bool = Field(alias="partnerRequestMail")
    "Whether to get an email for every new STEP partner request."


class UpdateLocationInput(BaseModel):
    """A location and the fields to change."""

    id: str
    "The location's id."
    name: Optional[str] = None
    "Omitted: unchanged."
    time_zone: Optional[str] = Field(alias="timeZone", default=None)
    "Omitted: unchanged."
    address: Optional[str] = None
    "Omitted: unchanged; null or empty: removed."


class UpdateOrganizationInput(BaseModel):
    """An organization's details; a field left out stays as it is."""

    organization_id: Optional[str] = Field(alias="organizationId", default=None)
    "Which organization (default: the working organization)."
    name: Optional[str] = None
    "The display name (1 to 200 characters)."
    address: Optional[str] = None
    "The postal address (up to 500 characters; empty clears it)."
    phone: Optional[str] = None
    "A phone number such as +49 30 1234567 (empty clears it)."


class UpdatePartnerAccessInput(BaseModel):
    """A customer's Super Admin changes its partner's grant."""

    mapping_id: str = Field(alias="mappingId")
    "The partner mapping's id."
    access_scope: Optional[PartnerAccessScope] = Field(
        alias="accessScope", default=None
    )
    "The new scope (omitted: unchanged)."
    access_expires_at: Optional[datetime] = Field(alias="accessExpiresAt", default=None)
    "The new end date: in the future, at most two years from now (omitted: unchanged)."


class UpdateProfileInput(BaseModel):
    """The viewer's names; a field left out stays as it is."""

    first_name: Optional[str] = Field(alias="firstName", default=None)
    "The first name (up to 100 characters; empty clears it)."
    last_name: Optional[str] = Field(alias="lastName", default=None)
    "The last name (up to 100 characters; empty clears it)."


class UpdateWebhookEndpointInput(BaseModel):
    """An endpoint and what changes; omitted fields stay as they are."""

    id: str
    "The endpoint's id."
    url: Optional[str] = None
    "A new receiver URL."
    events: Optional[list[str]] = None
    "The new event types."
    description: Optional[str] = None
    "A new note; an empty one removes it."
    enabled: Optional[bool] = None
    "False disables the endpoint (nothing is sent); true enables it again and its pending deliveries resume."


class WebhookEndpointIdInput(BaseModel):
    """A webhook endpoint, by id."""

    id: str
    "The endpoint's id."


AddStepPartnerCodesInput.model_rebuild()
ConfigureSingleSignOnInput.model_rebuild()
