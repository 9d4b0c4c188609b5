"""Every model, imported here so that ``Base.metadata`` is complete for Alembic."""

from db.models.account_token import AccountToken
from db.models.area import Area
from db.models.audit_event import AuditEvent
from db.models.authorization_code import AuthorizationCode
from db.models.browser_session import BrowserSession
from db.models.consent import ConsentRecord
from db.models.console_session import ConsoleSession
from db.models.device import Device
from db.models.invitation import Invitation
from db.models.license import License
from db.models.license_attachment import LicenseAttachment
from db.models.location import Location
from db.models.mail_opt_out import MailOptOut
from db.models.membership import Membership
from db.models.oauth_client import OAuthClient
from db.models.oauth_consent import OAuthConsent
from db.models.oauth_grant import OAuthGrant
from db.models.organization import Organization
from db.models.outbox import OutboxMessage
from db.models.partner_access_extension import PartnerAccessExtension
from db.models.partner_mapping import PartnerMapping
from db.models.partner_request import PartnerRequest
from db.models.passkey import Passkey, PasskeyChallenge
from db.models.product import Product
from db.models.recovery_code import RecoveryCode
from db.models.refresh_token import RefreshToken
from db.models.scim import ScimGroup, ScimGroupMember, ScimToken, ScimUser
from db.models.server_secret import ServerSecret
from db.models.service_account import ServiceAccount
from db.models.signing_key import SigningKey
from db.models.sso import SsoConnection, SsoDomain
from db.models.step_code import StepPartnerCode
from db.models.technician_assignment import TechnicianAssignment
from db.models.user import User
from db.models.webhook_delivery import WebhookDelivery
from db.models.webhook_endpoint import WebhookEndpoint

__all__ = [
    "AccountToken",
    "Area",
    "AuditEvent",
    "AuthorizationCode",
    "BrowserSession",
    "ConsentRecord",
    "ConsoleSession",
    "Device",
    "Invitation",
    "License",
    "LicenseAttachment",
    "Location",
    "MailOptOut",
    "Membership",
    "OAuthClient",
    "OAuthConsent",
    "OAuthGrant",
    "Organization",
    "OutboxMessage",
    "PartnerAccessExtension",
    "PartnerMapping",
    "PartnerRequest",
    "Passkey",
    "PasskeyChallenge",
    "Product",
    "RecoveryCode",
    "RefreshToken",
    "ScimGroup",
    "ScimGroupMember",
    "ScimToken",
    "ScimUser",
    "ServerSecret",
    "ServiceAccount",
    "SigningKey",
    "SsoConnection",
    "SsoDomain",
    "StepPartnerCode",
    "TechnicianAssignment",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
