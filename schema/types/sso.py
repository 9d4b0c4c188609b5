"""Enterprise single sign-on's GraphQL face (domain/sso): ``ClaimedDomain`` and
``SingleSignOnConnection``, and the inputs and payloads of claiming and verifying a domain and of
configuring the upstream OpenID provider (resolvers/sso.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import SsoConnection as SsoConnectionRow
from db.models import SsoDomain as SsoDomainRow
from domain.sso.connections import group_roles_of
from domain.sso.probe import Check
from domain.sso.service import txt_record_name, txt_record_value
from schema.enums import Role
from schema.errors import UserError
from schema.payloads import Payload

_USER_ERRORS = (
    "Expected failures, each with a stable code and the input it is about; empty on success."
)


@strawberry.type(
    description=(
        "An email domain an organization claims for single sign-on. It routes nobody until it "
        "is verified: publish the TXT record `txtRecordName` with the value `txtRecordValue`, "
        "then call `verifyDomain`."
    )
)
class ClaimedDomain:
    id: strawberry.ID = strawberry.field(description="The claim's id.")
    name: str = strawberry.field(description="The domain, lower case (IDNA A-labels).")
    verified: bool = strawberry.field(description="Whether the TXT record has been found.")
    verified_at: datetime | None = strawberry.field(description="When it was verified.")
    txt_record_name: str = strawberry.field(description="The DNS name of the TXT record.")
    txt_record_value: str = strawberry.field(description="The value the TXT record must carry.")
    created_at: datetime = strawberry.field(description="When it was claimed.")

    @classmethod
    def from_row(cls, row: SsoDomainRow) -> ClaimedDomain:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            verified=row.verified_at is not None,
            verified_at=row.verified_at,
            txt_record_name=txt_record_name(row),
            txt_record_value=txt_record_value(row),
            created_at=row.created_at,
        )


@strawberry.type(description="A group of the provider's and the role its members get.")
class GroupRole:
    group: str = strawberry.field(description="The group's name, as the groups claim carries it.")
    role: Role = strawberry.field(description="ADMIN or USER.")


@strawberry.type(
    description=(
        "The organization's own OpenID provider: people whose address is in one of its verified "
        "domains sign in there. The client secret is never shown again."
    )
)
class SingleSignOnConnection:
    id: strawberry.ID = strawberry.field(description="The connection's id.")
    issuer: str = strawberry.field(description="The provider's issuer identifier.")
    client_id: str = strawberry.field(description="The portal's client id at the provider.")
    groups_claim: str | None = strawberry.field(
        description="The ID-token claim that lists the person's groups (null: no mapping)."
    )
    group_roles: list[GroupRole] = strawberry.field(
        description="Which role each mapped group gives (others: USER)."
    )
    enforced: bool = strawberry.field(
        description="Whether the domains' members must sign in through the provider."
    )
    updated_at: datetime = strawberry.field(description="When it was last configured.")

    @classmethod
    def from_row(cls, row: SsoConnectionRow) -> SingleSignOnConnection:
        return cls(
            id=strawberry.ID(str(row.id)),
            issuer=row.issuer,
            client_id=row.client_id,
            groups_claim=row.groups_claim,
            group_roles=[GroupRole(group=g, role=r) for g, r in group_roles_of(row).items()],
            enforced=row.enforced,
            updated_at=row.updated_at,
        )


@strawberry.type(description="An organization's single sign-on: its domains and its provider.")
class SingleSignOn:
    redirect_uri: str = strawberry.field(
        description="The redirect URI to register at the provider: {PORTAL_PUBLIC_URL}/sso/callback."
    )
    domains: list[ClaimedDomain] = strawberry.field(
        description="The organization's claimed email domains, by name."
    )
    connection: SingleSignOnConnection | None = strawberry.field(
        description="The organization's OpenID provider (null: none configured)."
    )


# --- inputs and payloads of the mutations (resolvers/sso.py)


@strawberry.input(description="An email domain to claim.")
class ClaimDomainInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which organization (default: the working organization)."
    )
    domain: str = strawberry.field(
        description="The domain, such as example.com (public mail domains are refused)."
    )


@strawberry.type(description="The claimed domain and its TXT record, or why not.")
class ClaimDomainPayload(Payload):
    domain: ClaimedDomain | None = strawberry.field(default=None, description="The claim.")
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.type(description="The domain, verified, or why not.")
class VerifyDomainPayload(Payload):
    domain: ClaimedDomain | None = strawberry.field(default=None, description="The domain.")
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.input(description="A group of the provider's and the role its members get.")
class GroupRoleInput:
    group: str = strawberry.field(description="The group's name, as the groups claim carries it.")
    role: Role = strawberry.field(description="ADMIN or USER.")


@strawberry.input(description="The organization's OpenID provider.")
class ConfigureSingleSignOnInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which organization (default: the working organization)."
    )
    issuer: str = strawberry.field(
        description="The provider's issuer URL; its discovery document is fetched and checked."
    )
    client_id: str = strawberry.field(description="The portal's client id at the provider.")
    client_secret: str = strawberry.field(
        description="The client secret: stored sealed, never shown again."
    )
    groups_claim: str | None = strawberry.field(
        default=None, description="The ID-token claim that lists the person's groups."
    )
    group_roles: list[GroupRoleInput] | None = strawberry.field(
        default=None, description="Which role each group gives (ADMIN or USER)."
    )
    enforced: bool | None = strawberry.field(
        default=None,
        description="Refuse password login to the verified domains' members (default: false; "
        "null on a reconfiguration keeps the current choice).",
    )


@strawberry.type(description="The connection, or why not.")
class ConfigureSingleSignOnPayload(Payload):
    connection: SingleSignOnConnection | None = strawberry.field(
        default=None, description="The connection."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.type(description="The domain claim removed, or why not.")
class RemoveDomainPayload(Payload):
    removed_domain_id: strawberry.ID | None = strawberry.field(
        default=None, description="The removed claim's id."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.type(description="The connection removed, or why not.")
class RemoveSingleSignOnPayload(Payload):
    removed_connection_id: strawberry.ID | None = strawberry.field(
        default=None, description="The removed connection's id."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.type(description="One check of a single-sign-on connection test.")
class SingleSignOnCheck:
    code: str = strawberry.field(
        description=(
            "Which check, stable: DISCOVERY, ENDPOINTS, SIGNING_KEYS, CLIENT_CREDENTIALS or "
            "REDIRECT_URI."
        )
    )
    name: str = strawberry.field(description="The check's name, for people.")
    passed: bool | None = strawberry.field(
        description="Whether it passed (null: not run because an earlier check failed, or no "
        "telling)."
    )
    explanation: str = strawberry.field(
        description="What was found and, when it failed, what to fix (never the provider's text)."
    )

    @classmethod
    def from_check(cls, check: Check) -> SingleSignOnCheck:
        return cls(
            code=check.code, name=check.name, passed=check.passed, explanation=check.explanation
        )


@strawberry.type(description="The checks of the connection test, or why it could not run.")
class TestSingleSignOnPayload(Payload):
    checks: list[SingleSignOnCheck] | None = strawberry.field(
        default=None, description="Each check in order, with its result."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)
