"""Every email the portal sends: one dataclass per template, so a wrong or missing field is a mypy
error (and a ``TypeError`` at once), never a blank in a sent mail.

``enqueue(session, mail=ActivationMail(…), to=…, public_url=…)`` renders ``mail.template`` with the
mail's fields; every template also receives ``public_url`` from ``enqueue``. Each field's
``Variable`` (description, sample) documents it, and the template tests render every mail with its
samples.

Variables marked ``user_provided`` hold text a person typed (names, organization names, reasons):
the HTML part escapes them (Jinja autoescape) and the test proves it. Links must be absolute URLs
under ``PORTAL_PUBLIC_URL``; durations are human text (``mail.messages.human_duration``); roles are
a ``domain.enums.Role``'s value (shown as a label, TECHNICIAN as "Installer").
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class Variable:
    description: str
    sample: Any
    user_provided: bool = False
    # May be None (the template then leaves the sentence out); it must still be passed.
    optional: bool = False


def _about(
    description: str, sample: Any, *, user_provided: bool = False, optional: bool = False
) -> dict[str, Variable]:
    return {"variable": Variable(description, sample, user_provided, optional)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Mail:
    """One email's template and its variables."""

    template: ClassVar[str]

    def context(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_FIRST_NAME = ("the recipient's first name", "Ada")
_ACTIVATION_URL = (
    "{public_url}/activate?token=<link token> (the contract's activation link)",
    "https://portal.example.com/activate?token=q2V7cDgmJ6k4",
)
_CODE = ("the activation code, as the user must type it", "7KQ4MZ2P")
_EXPIRES_IN = ("how long the code or link stays valid, e.g. '24 hours'", "24 hours")
_RESET_URL = (
    "the password-reset link (a token link, or the forgot-password page where none is issued)",
    "https://portal.example.com/reset-password?token=Zx81Pq",
)
_COMPANY = ("the partner company's name", "Acme Security GmbH")
_ORGANIZATION = ("the organization's name", "Harbor Logistics")
_INVITER = ("the inviting user's display name", "Grace Hopper")
_ROLE = ("the role given (a Role's value)", "ADMIN")


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivationMail(Mail):
    """Sign-up (customer), resend, create-admin: the contract's activation email."""

    template: ClassVar[str] = "activation"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    organization_name: str | None = field(
        metadata=_about(
            "the organization being activated (None for an internal admin)",
            "Harbor Logistics",
            user_provided=True,
            optional=True,
        )
    )
    activation_url: str = field(metadata=_about(*_ACTIVATION_URL))
    code: str = field(metadata=_about(*_CODE))
    expires_in: str = field(metadata=_about(*_EXPIRES_IN))


@dataclass(frozen=True, slots=True, kw_only=True)
class AlreadyRegisteredMail(Mail):
    """Sign-up or partner join with an address that already has an account (no enumeration: the
    API answers the same, the mailbox owner learns the truth here)."""

    template: ClassVar[str] = "already_registered"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    login_url: str = field(
        metadata=_about("the sign-in page, {public_url}/login", "https://portal.example.com/login")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerRequestReceivedMail(Mail):
    template: ClassVar[str] = "partner_request_received"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    company_name: str = field(metadata=_about(*_COMPANY, user_provided=True))
    step_partner_code: str = field(
        metadata=_about(
            "the STEP partner code given in the request", "STEP-4711", user_provided=True
        )
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerRequestArrivedMail(Mail):
    """To each internal admin who has not opted out: a new partner request waits for review."""

    template: ClassVar[str] = "partner_request_arrived"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    company_name: str = field(metadata=_about(*_COMPANY, user_provided=True))
    contact_email: str = field(
        metadata=_about("the requester's email", "ada@acme.example", user_provided=True)
    )
    step_partner_code: str = field(
        metadata=_about("the STEP partner code given in the request", "STEP-4711")
    )
    country: str = field(metadata=_about("the company's country (ISO 3166 alpha-2)", "DE"))
    review_url: str = field(
        metadata=_about(
            "the console's Partner requests page, {public_url}/", "https://portal.example.com/"
        )
    )
    settings_url: str = field(
        metadata=_about(
            "the console's Account page, where the mail can be turned off",
            "https://portal.example.com/account",
        )
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerRequestApprovedMail(Mail):
    """Approval creates the partner organization and its Super Admin: also the activation email."""

    template: ClassVar[str] = "partner_request_approved"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    company_name: str = field(metadata=_about(*_COMPANY, user_provided=True))
    organization_name: str | None = field(
        metadata=_about(
            "the partner organization created (shown only when it differs from company_name)",
            "Acme Security",
            user_provided=True,
            optional=True,
        )
    )
    activation_url: str = field(metadata=_about(*_ACTIVATION_URL))
    code: str = field(metadata=_about(*_CODE))
    expires_in: str = field(metadata=_about(*_EXPIRES_IN))


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerRequestRejectedMail(Mail):
    template: ClassVar[str] = "partner_request_rejected"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    company_name: str = field(metadata=_about(*_COMPANY, user_provided=True))
    reason: str = field(
        metadata=_about(
            "the reviewer's reason (may span lines)",
            "We could not match the STEP code\nto your company.",
            user_provided=True,
        )
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordResetMail(Mail):
    template: ClassVar[str] = "password_reset"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    reset_url: str = field(metadata=_about(*_RESET_URL))
    expires_in: str = field(metadata=_about("how long the link stays valid", "1 hour"))


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordChangedMail(Mail):
    template: ClassVar[str] = "password_changed"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    changed_at: datetime = field(
        metadata=_about(
            "when it changed (an aware datetime)", datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
        )
    )
    reset_url: str = field(metadata=_about(*_RESET_URL))
    passkeys: int = field(
        default=0,
        metadata=_about(
            "how many passkeys the account keeps (a new password never removes them)", 2
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PasskeyNoticeMail(Mail):
    """A passkey of the account was added, used, removed, or refused as a likely copy
    (domain/passkeys): the owner hears of every one."""

    template: ClassVar[str] = "passkey_notice"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    event: str = field(metadata=_about("what happened: added, used, removed or cloned", "added"))
    passkey_name: str = field(
        metadata=_about("the passkey's name, as its owner gave it", "MacBook", user_provided=True)
    )
    occurred_at: datetime = field(
        metadata=_about("when (an aware datetime)", datetime(2026, 11, 27, 14, 5, tzinfo=UTC))
    )
    account_url: str = field(
        metadata=_about(
            "the console's Account page, where passkeys are listed and removed",
            "https://portal.example.com/account",
        )
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class InvitationMail(Mail):
    """An invitation to an address without an account (or one an invitation made): its link
    activates the account and accepts this invitation. ``first_name`` only greets."""

    template: ClassVar[str] = "invitation"
    first_name: str | None = field(
        metadata=_about(
            "the invitee's first name if the inviter gave one",
            "Ada",
            user_provided=True,
            optional=True,
        )
    )
    organization_name: str = field(metadata=_about(*_ORGANIZATION, user_provided=True))
    inviter_name: str = field(metadata=_about(*_INVITER, user_provided=True))
    role: str = field(metadata=_about(*_ROLE))
    activation_url: str = field(metadata=_about(*_ACTIVATION_URL))
    code: str = field(metadata=_about(*_CODE))
    expires_in: str = field(metadata=_about("how long the invitation code stays valid", "7 days"))


@dataclass(frozen=True, slots=True, kw_only=True)
class InvitationOfferMail(Mail):
    """An invitation to an address that already has an account: sign in, accept or decline."""

    template: ClassVar[str] = "invitation_offer"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    organization_name: str = field(metadata=_about(*_ORGANIZATION, user_provided=True))
    inviter_name: str = field(metadata=_about(*_INVITER, user_provided=True))
    inviter_email: str = field(metadata=_about("the inviting user's email", "grace@example.com"))
    role: str = field(metadata=_about(*_ROLE))


@dataclass(frozen=True, slots=True, kw_only=True)
class SuperAdminReceivedMail(Mail):
    """The Super Admin role was transferred (domain.members.service): to the new Super Admin…"""

    template: ClassVar[str] = "super_admin_received"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    organization_name: str = field(metadata=_about(*_ORGANIZATION, user_provided=True))
    previous_super_admin_name: str = field(
        metadata=_about("the former Super Admin's display name", "Grace Hopper", user_provided=True)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SuperAdminHandedOverMail(Mail):
    """… and to the former one, now an Admin."""

    template: ClassVar[str] = "super_admin_handed_over"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    organization_name: str = field(metadata=_about(*_ORGANIZATION, user_provided=True))
    new_super_admin_name: str = field(
        metadata=_about("the new Super Admin's display name", "Ada Lovelace", user_provided=True)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookEndpointDisabledMail(Mail):
    """A webhook endpoint failed for days and was disabled (domain.webhooks.worker): to each of
    its organization's Super Admin and Admins."""

    template: ClassVar[str] = "webhook_endpoint_disabled"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    organization_name: str = field(metadata=_about(*_ORGANIZATION, user_provided=True))
    endpoint_address: str = field(
        metadata=_about(
            "the endpoint's URL, as its admins entered it",
            "https://hooks.example.com/portal",
            user_provided=True,
        )
    )
    failing_for: str = field(metadata=_about("how long it had been failing", "3 days"))
    settings_url: str = field(
        metadata=_about(
            "the console's webhooks page", "https://portal.example.com/settings/webhooks"
        )
    )


_CUSTOMER = ("the customer organization's name", "Harbor Logistics")
_PARTNER = ("the partner organization's name", "Acme Security")
_SCOPE = (
    "what the partner's technicians may do there (domain.partners.access.SCOPE_LABELS)",
    "devices, licenses and users",
)
_DATE = ("a date, e.g. '7 December 2027' (UTC)", "7 December 2027")


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerAccessExtensionRequestedMail(Mail):
    """A partner asks a customer's Super Admin to extend its access (domain.partners.access)."""

    template: ClassVar[str] = "partner_access_extension_requested"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    customer_name: str = field(metadata=_about(*_CUSTOMER, user_provided=True))
    partner_name: str = field(metadata=_about(*_PARTNER, user_provided=True))
    scope: str = field(metadata=_about(*_SCOPE))
    current_end: str = field(metadata=_about("the grant's current end date", "7 January 2027"))
    requested_until: str = field(metadata=_about(*_DATE))


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerAccessExtensionAnsweredMail(Mail):
    """The customer approved or declined the partner's request: to the partner's admins."""

    template: ClassVar[str] = "partner_access_extension_answered"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    customer_name: str = field(metadata=_about(*_CUSTOMER, user_provided=True))
    approved: bool = field(metadata=_about("whether the customer approved the extension", True))
    access_ends: str = field(metadata=_about("the grant's end date now", "7 December 2027"))


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerAccessExpiringMail(Mail):
    """A grant ends in 30 or 7 days: to the customer's Super Admin and the partner's admins."""

    template: ClassVar[str] = "partner_access_expiring"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    customer_name: str = field(metadata=_about(*_CUSTOMER, user_provided=True))
    partner_name: str = field(metadata=_about(*_PARTNER, user_provided=True))
    for_partner: bool = field(
        metadata=_about("whether the recipient is on the partner's side", True)
    )
    days_left: int = field(metadata=_about("whole days until the grant ends (30 or 7)", 30))
    access_ends: str = field(metadata=_about(*_DATE))


_LOGIN_URL = ("the sign-in page, {public_url}/login", "https://portal.example.com/login")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvisionedMail(Mail):
    """The organization's directory (SCIM, domain.scim) added a person whose account cannot sign
    in yet, and no single sign-on covers their address: the activation link and code set a
    password (the contract's activation lines, like the activation email)."""

    template: ClassVar[str] = "provisioned"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    organization_name: str = field(metadata=_about(*_ORGANIZATION, user_provided=True))
    activation_url: str = field(metadata=_about(*_ACTIVATION_URL))
    code: str = field(metadata=_about(*_CODE))
    expires_in: str = field(metadata=_about("how long the code stays valid", "7 days"))
    resend_url: str = field(
        metadata=_about(
            "the page that mails a new activation link, {public_url}/activate/resend",
            "https://portal.example.com/activate/resend",
        )
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvisionedSsoMail(Mail):
    """The directory added a person whose account cannot sign in yet, and the organization's
    single sign-on covers their address's verified domain: sign in with the company account."""

    template: ClassVar[str] = "provisioned_sso"
    first_name: str = field(metadata=_about(*_FIRST_NAME, user_provided=True))
    organization_name: str = field(metadata=_about(*_ORGANIZATION, user_provided=True))
    email: str = field(
        metadata=_about("the address to type on the sign-in page", "ada@harbor.example")
    )
    login_url: str = field(metadata=_about(*_LOGIN_URL))


MAILS: dict[str, type[Mail]] = {
    mail.template: mail
    for mail in (
        ActivationMail,
        AlreadyRegisteredMail,
        PartnerRequestReceivedMail,
        PartnerRequestArrivedMail,
        PartnerRequestApprovedMail,
        PartnerRequestRejectedMail,
        PasswordResetMail,
        PasswordChangedMail,
        PasskeyNoticeMail,
        InvitationMail,
        InvitationOfferMail,
        SuperAdminReceivedMail,
        SuperAdminHandedOverMail,
        WebhookEndpointDisabledMail,
        PartnerAccessExtensionRequestedMail,
        PartnerAccessExtensionAnsweredMail,
        PartnerAccessExpiringMail,
        ProvisionedMail,
        ProvisionedSsoMail,
    )
}

# Each template's variables, documented (the template tests render and escape-check them).
TEMPLATES: dict[str, dict[str, Variable]] = {
    name: {f.name: f.metadata["variable"] for f in fields(mail)} for name, mail in MAILS.items()
}


def sample(template: str) -> Mail:
    """The mail ``template`` with every variable at its sample value."""
    return MAILS[template](**sample_context(template))


def sample_context(template: str) -> dict[str, Any]:
    return {name: variable.sample for name, variable in TEMPLATES[template].items()}
