"""Accounts' GraphQL face (domain/accounts): ``User``, the ``Viewer`` and its sessions, and the
inputs and payloads of sign-up, activation, password reset and the viewer's own profile."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import User as UserRow
from domain.accounts.forms import InformationForm
from domain.accounts.service import AccountSession as AccountSessionRow
from domain.accounts.service import list_sessions
from schema.context import context_of
from schema.enums import PartnerAccessScope, Role, UserStatus
from schema.errors import UserError
from schema.payloads import Payload
from schema.types.organizations import Organization
from schema.types.passkeys import Passkey, viewer_passkeys


@strawberry.type(
    name="User",
    description="A person's account: one email, one password, memberships of one or more organizations.",
)
class User:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    email: str = strawberry.field(
        description="The sign-in email, unique in the platform (stored lower case)."
    )
    first_name: str = strawberry.field(description="The first name given at sign-up or invitation.")
    last_name: str = strawberry.field(description="The last name given at sign-up or invitation.")
    status: UserStatus = strawberry.field(
        description="PENDING until the person sets a password through the activation link; DISABLED cannot sign in."
    )
    created_at: datetime = strawberry.field(
        description="When the account was created (sign-up, invitation or partner approval)."
    )
    mfa_enabled: bool = strawberry.field(
        description="Whether the account signs in with a TOTP code after the password."
    )

    def _display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    display_name: str = strawberry.field(
        resolver=_display_name, description="First and last name, joined by a space."
    )

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        return cls(
            id=strawberry.ID(str(row.id)),
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            status=row.status,
            created_at=row.created_at,
            mfa_enabled=row.totp_enabled_at is not None,
        )


@strawberry.type(
    description="One place the account is signed in: an application's sign-in (grant), with the "
    "browser it came from. `endSession` signs it out."
)
class AccountSession:
    id: strawberry.ID = strawberry.field(description="The session's id (for `endSession`).")
    client_name: str = strawberry.field(description="The application signed in (its name).")
    signed_in_at: datetime = strawberry.field(description="When the person signed in.")
    last_seen_at: datetime = strawberry.field(
        description="When the session was last used (its browser or its token renewal)."
    )
    client_address: str | None = strawberry.field(
        description="The network address of the browser it came from, when known."
    )
    user_agent: str | None = strawberry.field(
        description="The browser's user agent (device and browser), when known."
    )
    two_factor: bool = strawberry.field(description="Signed in with a second factor.")
    current: bool = strawberry.field(
        description="This is the session of the request's own token (or of its browser)."
    )

    @classmethod
    def from_row(cls, row: AccountSessionRow) -> AccountSession:
        return cls(
            id=strawberry.ID(str(row.id)),
            client_name=row.client_name,
            signed_in_at=row.signed_in_at,
            last_seen_at=row.last_seen_at,
            client_address=row.client_address,
            user_agent=row.user_agent,
            two_factor=row.two_factor,
            current=row.current,
        )


async def viewer_sessions(info: strawberry.Info) -> list[AccountSession]:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        rows = await list_sessions(session, principal)
    return [AccountSession.from_row(r) for r in rows]


@strawberry.type(
    description=(
        "How a technician reaches the working organization: through its partner, under the "
        "customer's grant."
    )
)
class TechnicianAccess:
    partner_name: str = strawberry.field(
        description="The partner organization the viewer works for."
    )
    partner_id: strawberry.ID = strawberry.field(description="The partner organization's id.")
    scope: PartnerAccessScope = strawberry.field(
        description="Which of a technician's powers the customer grants the partner."
    )
    expires_at: datetime = strawberry.field(description="When the customer's grant ends.")


@strawberry.type(
    description=(
        "The signed-in user. `organization` is the working organization: the first one joined "
        "unless the request names another in the `X-Organization-Id` header."
    )
)
class Viewer:
    user: User = strawberry.field(description="The signed-in account.")
    organization: Organization = strawberry.field(
        description="The working organization: the first one joined, or the one the `X-Organization-Id` header names."
    )
    role: Role = strawberry.field(description="The viewer's role in the working organization.")
    organizations: list[Organization] = strawberry.field(
        description="Every organization the viewer belongs to (a customer account can belong to up to 50)."
    )
    technician_access: TechnicianAccess | None = strawberry.field(
        description=(
            "Set when the viewer works in the organization as a partner's technician "
            '("Installer"): the partner and the grant it works under.'
        )
    )
    totp_enabled: bool = strawberry.field(
        description="The viewer's account logs in with a TOTP code after the password."
    )
    passkeys: list[Passkey] = strawberry.field(
        resolver=viewer_passkeys,
        description="The account's passkeys, oldest first, with when each last signed in. "
        "`startPasskeyRegistration` adds one, `renamePasskey` / `removePasskey` change them.",
    )
    sessions: list[AccountSession] = strawberry.field(
        resolver=viewer_sessions,
        description="Where the account is signed in now (live grants), newest sign-in first; "
        "`current` marks the caller's own. `endSession` / `endOtherSessions` sign them out.",
    )


@strawberry.input(description='"Create an Organization now": the customer information form.')
class CreateCustomerOrganizationInput:
    organization_name: str = strawberry.field(description="The organization's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = strawberry.field(default=None, description="Postal address (optional).")
    phone: str | None = strawberry.field(default=None, description="Phone number (optional).")
    first_name: str = strawberry.field(
        description="The first user's (the Customer Super Admin's) first name."
    )
    last_name: str = strawberry.field(
        description="The first user's (the Customer Super Admin's) last name."
    )
    email: str = strawberry.field(
        description="The first user's email: the activation email goes there."
    )
    accept_terms_of_service: bool = strawberry.field(
        description="Must be true: the terms of service are accepted (recorded with version, time and client)."
    )
    accept_privacy_policy: bool = strawberry.field(
        description="Must be true: the privacy policy and agreement are accepted (recorded with version, time and client)."
    )

    def to_domain(self) -> InformationForm:
        return InformationForm(
            organization_name=self.organization_name,
            country=self.country,
            address=self.address,
            phone=self.phone,
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            accept_terms_of_service=self.accept_terms_of_service,
            accept_privacy_policy=self.accept_privacy_policy,
        )


@strawberry.input(
    description="The activation page: the link's token, the emailed code, a password."
)
class ActivateAccountInput:
    token: str = strawberry.field(description="The `token` of the emailed activation link.")
    code: str = strawberry.field(description="The activation code from the email.")
    new_password: str = strawberry.field(
        description="The password to sign in with from now on (checked for strength)."
    )
    first_name: str | None = strawberry.field(
        default=None,
        description=(
            "Your name as you want it shown. An account an invitation made has none until you "
            "set it (whoever invited you does not choose it)."
        ),
    )
    last_name: str | None = strawberry.field(
        default=None, description="Your last name as you want it shown (see firstName)."
    )


@strawberry.input(description="The reset page: the emailed link's token and a new password.")
class ResetPasswordInput:
    token: str = strawberry.field(description="The `token` of the emailed /reset-password link.")
    new_password: str = strawberry.field(description="The new password (checked for strength).")


_ERRORS = "Expected failures, each with a stable code and the input it is about; empty on success."


@strawberry.input(description="The viewer's names; a field left out stays as it is.")
class UpdateProfileInput:
    first_name: str | None = strawberry.field(
        default=None, description="The first name (up to 100 characters; empty clears it)."
    )
    last_name: str | None = strawberry.field(
        default=None, description="The last name (up to 100 characters; empty clears it)."
    )


@strawberry.type(description="The viewer's account with its new names, or why not.")
class UpdateProfilePayload(Payload):
    user: User | None = strawberry.field(default=None, description="The account, updated.")
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)


@strawberry.input(description="The current password, asked again, and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The account's current password.")
    new_password: str = strawberry.field(
        description="The new password (the same policy as at activation and reset)."
    )


@strawberry.type(description="Whether the password changed, or why not.")
class ChangePasswordPayload(Payload):
    changed: bool = strawberry.field(
        default=False,
        description="True once the new password is set: every session and token of the account, "
        "the caller's too, has ended; sign in again with the new password.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)


@strawberry.input(description="The session to sign out (one of `viewer.sessions`).")
class EndSessionInput:
    id: strawberry.ID = strawberry.field(description="The session's id.")


@strawberry.type(description="The session signed out, or why not.")
class EndSessionPayload(Payload):
    ended_session_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the session that ended."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)


@strawberry.type(description="How many other sessions were signed out.")
class EndOtherSessionsPayload(Payload):
    ended_count: int = strawberry.field(
        default=0, description="How many sessions other than the caller's ended."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_ERRORS)


@strawberry.type(description="Whether the account is active now, or why not.")
class ActivateAccountPayload(Payload):
    activated: bool = strawberry.field(
        default=False, description="True when the password was set and the account activated."
    )
    message: str | None = strawberry.field(
        default=None, description='On success: "Your account is verified successfully."'
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="Whether the password changed, or why not.")
class ResetPasswordPayload(Payload):
    reset: bool = strawberry.field(
        default=False,
        description="The password changed; every session and token of the account was ended.",
    )
    message: str | None = strawberry.field(default=None, description="On success: what to do next.")
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )
