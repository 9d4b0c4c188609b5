from enum import Enum


class DeviceKind(str, Enum):
    CAMERA = "CAMERA"
    RECORDER = "RECORDER"


class DeviceStatus(str, Enum):
    PENDING = "PENDING"
    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


class InvitationStatus(str, Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


class LicenseStatus(str, Enum):
    AVAILABLE = "AVAILABLE"
    IN_USE = "IN_USE"
    EXPIRING_SOON = "EXPIRING_SOON"
    EXPIRED = "EXPIRED"


class MenuKey(str, Enum):
    LOCATIONS = "LOCATIONS"
    DEVICES = "DEVICES"
    USERS = "USERS"
    LICENSES = "LICENSES"


class OrganizationStatus(str, Enum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"


class OrganizationType(str, Enum):
    CUSTOMER = "CUSTOMER"
    PARTNER = "PARTNER"
    INTERNAL = "INTERNAL"


class PartnerAccessScope(str, Enum):
    DEVICES = "DEVICES"
    DEVICES_LICENSES = "DEVICES_LICENSES"
    DEVICES_LICENSES_USERS = "DEVICES_LICENSES_USERS"


class PartnerMappingStatus(str, Enum):
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"


class PartnerRequestStatus(str, Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class Role(str, Enum):
    SUPER_ADMIN = "SUPER_ADMIN"
    ADMIN = "ADMIN"
    USER = "USER"
    TECHNICIAN = "TECHNICIAN"
    INTERNAL_ADMIN = "INTERNAL_ADMIN"


class StepCodeImportOutcome(str, Enum):
    ADDED = "ADDED"
    SKIPPED = "SKIPPED"
    INVALID = "INVALID"


class StepCodeStatus(str, Enum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


class UserStatus(str, Enum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"


class WebhookDeliveryStatus(str, Enum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    DEAD = "DEAD"
