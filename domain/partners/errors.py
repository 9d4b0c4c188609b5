"""The partners area's userError codes (stable: clients switch on them): STEP codes, partner
requests, partner-customer mappings and technician assignments."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import UserError

# An unknown, revoked or already used STEP code, or one whose partner is not active: one answer.
INVALID_STEP_CODE = "INVALID_STEP_CODE"
# The registry (internal admins): a code that exists or is given twice; too many in one request;
# revoking a revoked code; revoking a code that made a partner organization.
DUPLICATE_STEP_CODE = "DUPLICATE_STEP_CODE"
TOO_MANY_CODES = "TOO_MANY_CODES"
ALREADY_REVOKED = "ALREADY_REVOKED"
STEP_CODE_IN_USE = "STEP_CODE_IN_USE"
# The console's CSV upload: not a code list at all; larger than the upload limit.
INVALID_CSV = "INVALID_CSV"
CSV_TOO_LARGE = "CSV_TOO_LARGE"
# Partner requests: reviewed meanwhile by another admin; the applicant's email has an account.
ALREADY_REVIEWED = "ALREADY_REVIEWED"
EMAIL_ALREADY_REGISTERED = "EMAIL_ALREADY_REGISTERED"
# One partner per customer: an ACTIVE mapping or a pending invitation already holds the place.
PARTNER_ALREADY_MAPPED = "PARTNER_ALREADY_MAPPED"
# Accepting or declining an invitation that was accepted, declined or withdrawn meanwhile.
INVITATION_NOT_PENDING = "INVITATION_NOT_PENDING"
MAPPING_ALREADY_ENDED = "MAPPING_ALREADY_ENDED"
# Technicians are assigned through an ACTIVE mapping only.
MAPPING_NOT_ACTIVE = "MAPPING_NOT_ACTIVE"
# The partner would leave a customer nobody can reach: its first Super Admin has not joined yet.
CUSTOMER_HAS_NO_SUPER_ADMIN = "CUSTOMER_HAS_NO_SUPER_ADMIN"
NOT_ASSIGNED = "NOT_ASSIGNED"

INPUT = ("input",)


def partner_already_mapped(field: Sequence[str] = (*INPUT, "stepPartnerCode")) -> UserError:
    return UserError(
        PARTNER_ALREADY_MAPPED,
        "This organization already has a support partner or a pending partner invitation: end "
        "it before inviting another partner.",
        field,
    )


def invitation_not_pending() -> UserError:
    return UserError(
        INVITATION_NOT_PENDING,
        "This partner invitation was already accepted, declined or withdrawn.",
        (*INPUT, "mappingId"),
    )


def mapping_already_ended() -> UserError:
    return UserError(
        MAPPING_ALREADY_ENDED, "This partner mapping has already ended.", (*INPUT, "mappingId")
    )


def mapping_not_active(field: Sequence[str] = (*INPUT, "customerId")) -> UserError:
    return UserError(
        MAPPING_NOT_ACTIVE,
        "Technicians can only be assigned while the partner supports the customer.",
        field,
    )


def customer_has_no_super_admin() -> UserError:
    return UserError(
        CUSTOMER_HAS_NO_SUPER_ADMIN,
        "The customer has no Super Admin yet, so nobody could reach it after the mapping ends: "
        "invite the customer's first user and let them take over first.",
        (*INPUT, "mappingId"),
    )


def not_assigned() -> UserError:
    return UserError(
        NOT_ASSIGNED, "This person is not assigned to the customer.", (*INPUT, "userId")
    )


# --- time-bound partner access (domain.partners.access) --------------------------------------
# An end date that is not after now (or, for an extension, after the current end).
ACCESS_END_DATE_TOO_EARLY = "ACCESS_END_DATE_TOO_EARLY"
# More than two years from now.
ACCESS_END_DATE_TOO_LATE = "ACCESS_END_DATE_TOO_LATE"
# A date without a time zone.
INVALID_ACCESS_END_DATE = "INVALID_ACCESS_END_DATE"
# The partner asked already and the customer has not answered yet.
EXTENSION_ALREADY_REQUESTED = "EXTENSION_ALREADY_REQUESTED"
# The customer declined the last request less than a day ago.
EXTENSION_RECENTLY_DECLINED = "EXTENSION_RECENTLY_DECLINED"
# Approving or declining when no request is pending (answered meanwhile, or never asked).
NO_EXTENSION_REQUESTED = "NO_EXTENSION_REQUESTED"


def extension_already_requested() -> UserError:
    return UserError(
        EXTENSION_ALREADY_REQUESTED,
        "An extension was already requested and waits for the customer's answer.",
        (*INPUT, "mappingId"),
    )


def no_extension_requested() -> UserError:
    return UserError(
        NO_EXTENSION_REQUESTED,
        "There is no pending extension request (it may have been answered meanwhile).",
        (*INPUT, "mappingId"),
    )


def extension_recently_declined() -> UserError:
    return UserError(
        EXTENSION_RECENTLY_DECLINED,
        "The customer declined your last request less than a day ago: talk to them before "
        "asking again.",
        (*INPUT, "mappingId"),
    )
