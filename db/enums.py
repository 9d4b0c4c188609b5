"""The vocabularies the models store (one column each), shared by services and the GraphQL schema.

They live here, below ``domain``, so that ``db.models`` needs nothing from the layers above it;
``domain.enums`` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class OrganizationType(StrEnum):
    CUSTOMER = "CUSTOMER"
    PARTNER = "PARTNER"
    INTERNAL = "INTERNAL"


class OrganizationStatus(StrEnum):
    PENDING = "PENDING"  # created, its Super Admin has not activated yet
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"  # by an internal admin: no login, no token use


class Role(StrEnum):
    SUPER_ADMIN = "SUPER_ADMIN"
    ADMIN = "ADMIN"
    USER = "USER"
    TECHNICIAN = "TECHNICIAN"
    INTERNAL_ADMIN = "INTERNAL_ADMIN"


class UserStatus(StrEnum):
    PENDING = "PENDING"  # has not set a password yet
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"


class TokenPurpose(StrEnum):
    ACTIVATION = "ACTIVATION"
    PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 (a purpose, not a password)


class ConsentDocument(StrEnum):
    TERMS_OF_SERVICE = "TERMS_OF_SERVICE"
    PRIVACY_POLICY = "PRIVACY_POLICY"


class PartnerRequestStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class StepCodeStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


class OutboxStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    DEAD = "DEAD"


class InvitationStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    # The invitee said no (domain.members.acceptance).
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    # Shown for a PENDING invitation past its ``expires_at``; stored only once a new invitation
    # of the same email replaces it (the one-pending-per-email index needs the slot).
    EXPIRED = "EXPIRED"


class DeviceKind(StrEnum):
    CAMERA = "CAMERA"
    RECORDER = "RECORDER"


class DeviceStatus(StrEnum):
    PENDING = "PENDING"  # registered, never connected
    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


class PartnerMappingStatus(StrEnum):
    INVITED = "INVITED"  # the customer invited the partner; the partner has not accepted
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"


class WebhookDeliveryStatus(StrEnum):
    # Waiting for its first or next attempt.
    PENDING = "PENDING"
    # The receiver answered 2xx.
    SUCCEEDED = "SUCCEEDED"
    # Gave up: out of attempts (about three days), or the endpoint was disabled or deleted.
    DEAD = "DEAD"


class PartnerAccessScope(StrEnum):
    """Which of a technician's powers a customer grants its partner (GDAP-like), widening."""

    DEVICES = "DEVICES"
    DEVICES_LICENSES = "DEVICES_LICENSES"
    DEVICES_LICENSES_USERS = "DEVICES_LICENSES_USERS"


class PartnerAccessExtensionStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"


class PartnerAccessNotice(StrEnum):
    """The last expiry notice sent for a mapping's current grant (a new end date resets it)."""

    NONE = "NONE"
    DAYS_30 = "DAYS_30"
    DAYS_7 = "DAYS_7"
    EXPIRED = "EXPIRED"
