"""The internal admins' own settings and the STEP code upload: types, inputs and payloads."""

from __future__ import annotations

import strawberry

from domain.admin.notifications import NotificationSettings
from domain.partners.step_codes import ImportedRow, ImportReport, RowOutcome
from schema.enums import describe_values
from schema.errors import UserError

_USER_ERRORS = (
    "Expected failures, each with a stable code and the input it is about; empty on success."
)

# --- notification settings --------------------------------------------------------------------


@strawberry.type(description="Which optional emails this internal admin gets.")
class AdminNotificationSettings:
    partner_request_mail: bool = strawberry.field(
        description="An email for every new STEP partner request (on unless turned off)."
    )

    @classmethod
    def from_domain(cls, value: NotificationSettings) -> AdminNotificationSettings:
        return cls(partner_request_mail=value.partner_request_mail)


@strawberry.input(description="The internal admin's choice of optional emails.")
class UpdateAdminNotificationSettingsInput:
    partner_request_mail: bool = strawberry.field(
        description="Whether to get an email for every new STEP partner request."
    )


@strawberry.type(description="The settings as saved, or why not.")
class UpdateAdminNotificationSettingsPayload:
    settings: AdminNotificationSettings | None = strawberry.field(
        default=None, description="The settings now (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


# --- STEP code upload -------------------------------------------------------------------------

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
class ImportStepPartnerCodesPayload:
    report: StepCodeImportReport | None = strawberry.field(
        default=None, description="What became of each line (null when the file was refused)."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)
