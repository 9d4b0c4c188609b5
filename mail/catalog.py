"""Every email the portal sends, and the context each template expects.

``enqueue(session, template=NAME, to=…, context={…}, public_url=…)`` checks the context against
this catalog (a missing or unknown variable is a bug, raised at once), and the template tests render
every entry with its sample values. Every template also receives ``public_url`` from ``enqueue``.

Variables marked ``user_provided`` hold text a person typed (names, organization names, reasons):
the HTML part escapes them (Jinja autoescape) and the test proves it. Links must be absolute URLs
under ``PORTAL_PUBLIC_URL``; durations are human text (``mail.messages.human_duration``); roles may
be a ``domain.enums.Role`` or its value (shown as a label, TECHNICIAN as "Installer").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Variable:
    description: str
    sample: Any
    user_provided: bool = False
    # May be None (the template then leaves the sentence out); it must still be passed.
    optional: bool = False


_FIRST_NAME = Variable("the recipient's first name", "Ada", user_provided=True)
_ACTIVATION_URL = Variable(
    "{public_url}/activate?token=<link token> (the contract's activation link)",
    "https://portal.example.com/activate?token=q2V7cDgmJ6k4",
)
_CODE = Variable("the activation code, as the user must type it", "7KQ4MZ2P")
_EXPIRES_IN = Variable("how long the code or link stays valid, e.g. '24 hours'", "24 hours")
_RESET_URL = Variable(
    "the password-reset link (a token link, or the forgot-password page where none is issued)",
    "https://portal.example.com/reset-password?token=Zx81Pq",
)
_COMPANY = Variable("the partner company's name", "Acme Security GmbH", user_provided=True)
_ORGANIZATION = Variable("the organization's name", "Harbor Logistics", user_provided=True)
_INVITER = Variable("the inviting user's display name", "Grace Hopper", user_provided=True)
_ROLE = Variable("the role given (Role or its value)", "ADMIN")


TEMPLATES: dict[str, dict[str, Variable]] = {
    # Sign-up (customer), resend, create-admin: the contract's activation email.
    "activation": {
        "first_name": _FIRST_NAME,
        "organization_name": Variable(
            "the organization being activated (None for an internal admin)",
            "Harbor Logistics",
            user_provided=True,
            optional=True,
        ),
        "activation_url": _ACTIVATION_URL,
        "code": _CODE,
        "expires_in": _EXPIRES_IN,
    },
    # Sign-up or partner join with an address that already has an account (no enumeration:
    # the API answers the same, the mailbox owner learns the truth here).
    "already_registered": {
        "first_name": _FIRST_NAME,
        "login_url": Variable(
            "the sign-in page, {public_url}/login", "https://portal.example.com/login"
        ),
    },
    "partner_request_received": {
        "first_name": _FIRST_NAME,
        "company_name": _COMPANY,
        "step_partner_code": Variable(
            "the STEP partner code given in the request", "STEP-4711", user_provided=True
        ),
    },
    # Approval creates the partner organization and its Super Admin: also the activation email.
    "partner_request_approved": {
        "first_name": _FIRST_NAME,
        "company_name": _COMPANY,
        "organization_name": Variable(
            "the partner organization created (shown only when it differs from company_name)",
            "Acme Security",
            user_provided=True,
            optional=True,
        ),
        "activation_url": _ACTIVATION_URL,
        "code": _CODE,
        "expires_in": _EXPIRES_IN,
    },
    "partner_request_rejected": {
        "first_name": _FIRST_NAME,
        "company_name": _COMPANY,
        "reason": Variable(
            "the reviewer's reason (may span lines)",
            "We could not match the STEP code\nto your company.",
            user_provided=True,
        ),
    },
    "password_reset": {
        "first_name": _FIRST_NAME,
        "reset_url": _RESET_URL,
        "expires_in": Variable("how long the link stays valid", "1 hour"),
    },
    "password_changed": {
        "first_name": _FIRST_NAME,
        "changed_at": Variable(
            "when it changed (an aware datetime)", datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
        ),
        "reset_url": _RESET_URL,
    },
    # An invitation to an address without an account (or one an invitation made): its link
    # activates the account and accepts this invitation. ``first_name`` only greets.
    "invitation": {
        "first_name": Variable(
            "the invitee's first name if the inviter gave one",
            "Ada",
            user_provided=True,
            optional=True,
        ),
        "organization_name": _ORGANIZATION,
        "inviter_name": _INVITER,
        "role": _ROLE,
        "activation_url": _ACTIVATION_URL,
        "code": _CODE,
        "expires_in": Variable("how long the invitation code stays valid", "7 days"),
    },
    # An invitation to an address that already has an account: sign in, accept or decline.
    "invitation_offer": {
        "first_name": _FIRST_NAME,
        "organization_name": _ORGANIZATION,
        "inviter_name": _INVITER,
        "inviter_email": Variable("the inviting user's email", "grace@example.com"),
        "role": _ROLE,
    },
    # The Super Admin role was transferred (domain.members.transfer): to the new Super Admin…
    "super_admin_received": {
        "first_name": _FIRST_NAME,
        "organization_name": _ORGANIZATION,
        "previous_super_admin_name": Variable(
            "the former Super Admin's display name", "Grace Hopper", user_provided=True
        ),
    },
    # … and to the former one, now an Admin.
    "super_admin_handed_over": {
        "first_name": _FIRST_NAME,
        "organization_name": _ORGANIZATION,
        "new_super_admin_name": Variable(
            "the new Super Admin's display name", "Ada Lovelace", user_provided=True
        ),
    },
}


def sample_context(template: str) -> dict[str, Any]:
    return {name: variable.sample for name, variable in TEMPLATES[template].items()}


def check_context(template: str, context: dict[str, Any]) -> None:
    """Raise ``ValueError`` naming what is wrong: a programming error, not bad user input."""
    variables = TEMPLATES.get(template)
    if variables is None:
        raise ValueError(f"unknown email template {template!r}; known: {', '.join(TEMPLATES)}")
    missing = sorted(set(variables) - set(context))
    unknown = sorted(set(context) - set(variables) - {"public_url"})
    if missing or unknown:
        raise ValueError(
            f"email template {template!r}: missing {missing or 'nothing'}, "
            f"unexpected {unknown or 'nothing'}"
        )
    nulls = sorted(n for n, v in variables.items() if not v.optional and context[n] is None)
    if nulls:
        raise ValueError(f"email template {template!r}: {nulls} must not be None")
