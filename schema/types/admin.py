"""The internal admin console's GraphQL face (domain/admin, domain/partners/step_codes.py):
``AdminOrganization``, the STEP partner-code registry (with the CSV upload), the internal admin's
own notification settings, and their inputs and payloads.

An organization as the internal admin console sees it: everything about it, in one type.

Reached only through the console's fields (``organizations``, ``organization``, the suspension
payloads), which require ``ORGANIZATION_READ_ANY``. Every edge resolves through the request's
DataLoaders, so a page of organizations costs the same number of statements whatever its size.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from db.models import Organization as OrganizationRow
from db.models import StepPartnerCode as StepPartnerCodeRow
from domain.admin import notifications
from domain.admin.notifications import NotificationSettings
from domain.enums import OrganizationType as OrganizationKind
from domain.members.repository import MemberRow
from domain.partners.step_codes import ImportedRow, ImportReport, NewCode, RowOutcome
from kit.pagination import make_page
from schema.arguments import AFTER, FIRST
from schema.context import context_of
from schema.enums import OrganizationStatus, OrganizationType, StepCodeStatus, describe_values
from schema.errors import UserError
from schema.paging import page_args
from schema.payloads import Payload
from schema.relay import Connection, make_connection
from schema.types.accounts import User
from schema.types.licenses import LicenseSummary
from schema.types.locations import DeviceCounts
from schema.types.members import Member, MemberConnection
from schema.types.organizations import Organization
from schema.types.partners import PartnerMapping, PartnerMappingConnection


@strawberry.type(
    description=(
        "An organization in the internal admin console: its record, people, counts, partner "
        "mappings and (partners) STEP code. Internal admins only."
    )
)
class AdminOrganization:
    id: strawberry.ID = strawberry.field(description="The organization's id.")
    type: OrganizationType = strawberry.field(description="CUSTOMER, PARTNER or INTERNAL.")
    status: OrganizationStatus = strawberry.field(description="PENDING, ACTIVE or SUSPENDED.")
    name: str = strawberry.field(description="The organization's display name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code, e.g. DE.")
    address: str | None = strawberry.field(description="Postal address as entered, or null.")
    phone: str | None = strawberry.field(description="Phone number as entered, or null.")
    require_mfa: bool = strawberry.field(
        description="Members must sign in with a second factor (TOTP)."
    )
    created_at: datetime = strawberry.field(description="When the organization was created.")
    activated_at: datetime | None = strawberry.field(
        description="When its first Super Admin activated the account (null while PENDING)."
    )
    suspended_at: datetime | None = strawberry.field(
        description="When an internal admin suspended it (null unless SUSPENDED)."
    )
    suspended_reason: str | None = strawberry.field(
        description="The reason an internal admin gave when suspending it."
    )
    organization: Organization = strawberry.field(
        description="The same organization as every other part of the API shows it."
    )
    pk: strawberry.Private[uuid.UUID]
    kind: strawberry.Private[OrganizationKind]
    step_code_id: strawberry.Private[uuid.UUID | None]

    async def _member_count(self, info: strawberry.Info) -> int:
        return await context_of(info).loaders.member_count_by_organization_id.load(self.pk)

    async def _super_admin(self, info: strawberry.Info) -> User | None:
        row = await context_of(info).loaders.super_admin_by_organization_id.load(self.pk)
        return User.from_row(row) if row is not None else None

    async def _members(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> MemberConnection:
        ctx = context_of(info)
        page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
        memberships = await ctx.loaders.memberships_by_organization_id.load((self.pk, page))
        users = await ctx.loaders.user_by_id.load_many([m.user_id for m in memberships])
        rows = [
            MemberRow(membership, user)
            for membership, user in zip(memberships, users, strict=True)
            if user is not None
        ]

        async def count() -> int:
            return await ctx.loaders.member_count_by_organization_id.load(self.pk)

        return make_connection(MemberConnection, make_page(rows, page), Member.from_row, count)

    async def _location_count(self, info: strawberry.Info) -> int:
        return await context_of(info).loaders.location_count_by_organization_id.load(self.pk)

    async def _device_counts(self, info: strawberry.Info) -> DeviceCounts:
        counts = await context_of(info).loaders.device_counts_by_organization_id.load(self.pk)
        return DeviceCounts.from_value(counts)

    async def _license_summary(self, info: strawberry.Info) -> LicenseSummary:
        counts = await context_of(info).loaders.license_summary_by_organization_id.load(self.pk)
        return LicenseSummary.from_counts(counts)

    async def _partner_mappings(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> PartnerMappingConnection:
        ctx = context_of(info)
        page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
        if self.kind is OrganizationKind.PARTNER:
            rows = await ctx.loaders.mappings_by_partner_id.load((self.pk, page))
        elif self.kind is OrganizationKind.CUSTOMER:
            rows = await ctx.loaders.mappings_by_customer_id.load((self.pk, page))
        else:
            rows = []

        async def count() -> int:
            return await ctx.loaders.mapping_count_by_organization_id.load(self.pk)

        return make_connection(
            PartnerMappingConnection, make_page(rows, page), PartnerMapping.from_row, count
        )

    async def _customer_count(self, info: strawberry.Info) -> int | None:
        if self.kind is not OrganizationKind.PARTNER:
            return None
        return await context_of(info).loaders.customer_count_by_partner_id.load(self.pk)

    async def _step_partner_code(self, info: strawberry.Info) -> StepPartnerCode | None:
        if self.step_code_id is None:
            return None
        row = await context_of(info).loaders.step_code_by_id.load(self.step_code_id)
        return StepPartnerCode.from_row(row) if row is not None else None

    member_count: int = strawberry.field(
        resolver=_member_count, description="Members (technicians are not members)."
    )
    super_admin: User | None = strawberry.field(
        resolver=_super_admin, description="Its Super Admin (null for the internal organization)."
    )
    members: MemberConnection = strawberry.field(
        resolver=_members, description="Its members in the order they joined."
    )
    location_count: int = strawberry.field(
        resolver=_location_count, description="How many locations it has."
    )
    device_counts: DeviceCounts = strawberry.field(
        resolver=_device_counts, description="Its devices counted by status."
    )
    license_summary: LicenseSummary = strawberry.field(
        resolver=_license_summary, description="Its licenses counted by status."
    )
    partner_mappings: PartnerMappingConnection = strawberry.field(
        resolver=_partner_mappings,
        description=(
            "A customer's partner mappings, or a partner's customer mappings — ended ones too, "
            "oldest first."
        ),
    )
    customer_count: int | None = strawberry.field(
        resolver=_customer_count,
        description="A partner's customers now (ACTIVE mappings); null for other kinds.",
    )
    step_partner_code: StepPartnerCode | None = strawberry.field(
        resolver=_step_partner_code,
        description="The STEP code a partner organization was made from (null for others).",
    )

    @classmethod
    def from_row(cls, row: OrganizationRow) -> AdminOrganization:
        return cls(
            id=strawberry.ID(str(row.id)),
            type=row.type,
            status=row.status,
            name=row.name,
            country=row.country,
            address=row.address,
            phone=row.phone,
            require_mfa=row.require_mfa,
            created_at=row.created_at,
            activated_at=row.activated_at,
            suspended_at=row.suspended_at,
            suspended_reason=row.suspended_reason,
            organization=Organization.from_row(row),
            pk=row.id,
            kind=row.type,
            step_code_id=row.step_code_id,
        )


@strawberry.type(description="A page of organizations in the internal admin console.")
class AdminOrganizationConnection(Connection[AdminOrganization]):
    pass


@strawberry.type(
    name="StepPartnerCode",
    description=(
        "A code of the vendor's STEP partner programme: ACTIVE codes let a partner join (once); "
        "REVOKED ones are refused."
    ),
)
class StepPartnerCode:
    id: strawberry.ID = strawberry.field(description="The code's id.")
    code: str = strawberry.field(description="Normalized: trimmed, upper case.")
    company: str | None = strawberry.field(description="Whom the vendor gave it to, if known.")
    status: StepCodeStatus = strawberry.field(description="ACTIVE (usable once) or REVOKED.")
    created_at: datetime = strawberry.field(description="When it was added to the registry.")
    updated_at: datetime = strawberry.field(description="Last change (e.g. the revocation).")
    pk: strawberry.Private[uuid.UUID]

    async def _organization(self, info: strawberry.Info) -> Organization | None:
        row = await context_of(info).loaders.organization_by_step_code_id.load(self.pk)
        return Organization.from_row(row) if row is not None else None

    organization: Organization | None = strawberry.field(
        resolver=_organization,
        description="The partner organization made from this code (null while unused).",
    )

    @classmethod
    def from_row(cls, row: StepPartnerCodeRow) -> StepPartnerCode:
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            company=row.company,
            status=row.status,
            created_at=row.created_at,
            updated_at=row.updated_at,
            pk=row.id,
        )


@strawberry.type(description="A page of STEP partner codes.")
class StepPartnerCodeConnection(Connection[StepPartnerCode]):
    pass


@strawberry.input(description="An organization to suspend, and why.")
class SuspendOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The customer or partner organization's id."
    )
    reason: str = strawberry.field(
        description="Why (1 to 500 characters); kept with the organization and in the audit log."
    )


@strawberry.input(description="A suspended organization to reactivate.")
class ReactivateOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's id.")


@strawberry.type(description="The organization after the suspension or reactivation, or why not.")
class OrganizationSuspensionPayload(Payload):
    organization: AdminOrganization | None = strawberry.field(
        default=None,
        description="The organization as the admin console shows it (null on failure).",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="One code to add; without `code` one is generated.")
class NewStepPartnerCodeInput:
    code: str | None = strawberry.field(
        default=None,
        description="The code (normalized: trimmed, upper case); omitted: a random one.",
    )
    company: str | None = strawberry.field(
        default=None, description="Whom the vendor gives it to (optional)."
    )

    def to_domain(self) -> NewCode:
        return NewCode(code=self.code, company=self.company)


@strawberry.input(description="STEP partner codes to add to the registry.")
class AddStepPartnerCodesInput:
    codes: list[NewStepPartnerCodeInput] = strawberry.field(
        description="1 to 500 codes; all are added or none."
    )


@strawberry.type(description="The codes added, or why none were.")
class AddStepPartnerCodesPayload(Payload):
    step_partner_codes: list[StepPartnerCode] = strawberry.field(
        default_factory=list, description="The new codes, ACTIVE (empty on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="A STEP partner code to revoke.")
class RevokeStepPartnerCodeInput:
    id: strawberry.ID = strawberry.field(description="The code's id.")


@strawberry.type(description="The revoked code, or why not.")
class RevokeStepPartnerCodePayload(Payload):
    step_partner_code: StepPartnerCode | None = strawberry.field(
        default=None, description="The code, now REVOKED (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


# --- the internal admin's own notification settings -----------------------------------------------


@strawberry.type(description="Which optional emails this internal admin gets.")
class AdminNotificationSettings:
    partner_request_mail: bool = strawberry.field(
        description="An email for every new STEP partner request (on unless turned off)."
    )

    @classmethod
    def from_domain(cls, value: NotificationSettings) -> AdminNotificationSettings:
        return cls(partner_request_mail=value.partner_request_mail)


async def admin_notification_settings(info: strawberry.Info) -> AdminNotificationSettings:
    """Shared by ``Query.adminNotificationSettings`` and ``AdminLanding.notificationSettings``."""
    ctx = context_of(info)
    principal = await ctx.principal()
    value = await notifications.get_settings(ctx.services.db, principal)
    return AdminNotificationSettings.from_domain(value)


@strawberry.input(description="The internal admin's choice of optional emails.")
class UpdateAdminNotificationSettingsInput:
    partner_request_mail: bool = strawberry.field(
        description="Whether to get an email for every new STEP partner request."
    )


@strawberry.type(description="The settings as saved, or why not.")
class UpdateAdminNotificationSettingsPayload(Payload):
    settings: AdminNotificationSettings | None = strawberry.field(
        default=None, description="The settings now (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


# --- the STEP code upload (a CSV list) ------------------------------------------------------------

strawberry.enum(RowOutcome, name="StepCodeImportOutcome", description="What became of a line.")
describe_values(
    RowOutcome,
    {
        "ADDED": "Added to the registry, ACTIVE.",
        "SKIPPED": "Already in the registry (even revoked: it stays so), or repeated in the file.",
        "INVALID": "Not importable; `reason` says why.",
    },
)


@strawberry.input(description="A STEP code list in the `import-step-codes` format.")
class ImportStepPartnerCodesInput:
    csv: str = strawberry.field(
        description=(
            "The file's text: CSV with a header row, a `code` column and optionally `company` "
            "(other columns are ignored); at most 100 KiB and 2000 codes."
        )
    )


@strawberry.type(description="One line of the uploaded file and what became of it.")
class StepCodeImportRow:
    line: int = strawberry.field(description="The line number in the file (the header is 1).")
    code: str | None = strawberry.field(
        description="The code: as stored when valid, as given otherwise (null when empty)."
    )
    company: str | None = strawberry.field(description="The company given, if any.")
    outcome: RowOutcome = strawberry.field(description="Added, skipped or invalid.")
    reason: str | None = strawberry.field(description="Why it was skipped or invalid.")

    @classmethod
    def from_domain(cls, row: ImportedRow) -> StepCodeImportRow:
        return cls(
            line=row.line,
            code=row.code,
            company=row.company,
            outcome=row.outcome,
            reason=row.reason,
        )


@strawberry.type(description="What an upload did, in total and per line.")
class StepCodeImportReport:
    added: int = strawberry.field(description="Codes added.")
    skipped: int = strawberry.field(description="Lines skipped (known or repeated codes).")
    invalid: int = strawberry.field(description="Lines that could not be imported.")
    rows: list[StepCodeImportRow] = strawberry.field(description="Every line, in file order.")

    @classmethod
    def from_domain(cls, report: ImportReport) -> StepCodeImportReport:
        return cls(
            added=report.added,
            skipped=report.skipped,
            invalid=report.invalid,
            rows=[StepCodeImportRow.from_domain(row) for row in report.rows],
        )


@strawberry.type(description="The upload's report, or why nothing was read.")
class ImportStepPartnerCodesPayload(Payload):
    report: StepCodeImportReport | None = strawberry.field(
        default=None, description="What became of each line (null when the file was refused)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )
