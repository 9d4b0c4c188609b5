"""The STEP partner-code registry: import, normalization, and whether a code may be used.

A code is kept normalized — trimmed, NFKC, upper case — so that what a partner types matches what
the vendor imported however either was capitalized. One code makes one partner organization
(``organization.step_code_id`` is unique).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import StepPartnerCode
from domain.accounts.validation import ORGANIZATION_NAME_MAX, has_forbidden_characters
from domain.enums import StepCodeStatus
from domain.partners import repository

INVALID_STEP_CODE: Final = "INVALID_STEP_CODE"
STEP_CODE_MAX: Final = 64
_STEP_CODE: Final = re.compile(r"[A-Z0-9](?:[A-Z0-9._/-]{0,62}[A-Z0-9])?")


class CodeStatus(StrEnum):
    USABLE = "usable"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    USED = "used"  # already belongs to a partner organization


def normalize_step_code(raw: str) -> str | None:
    """The stored spelling of a code, or None when it cannot be one of ours."""
    value = raw.strip()
    if not value or len(value) > STEP_CODE_MAX or has_forbidden_characters(value):
        return None
    value = unicodedata.normalize("NFKC", value).upper()
    return value if _STEP_CODE.fullmatch(value) else None


async def code_status(
    session: AsyncSession, code: str
) -> tuple[CodeStatus, StepPartnerCode | None]:
    row = await repository.step_code_by_value(session, code)
    if row is None:
        return CodeStatus.UNKNOWN, None
    if row.status is not StepCodeStatus.ACTIVE:
        return CodeStatus.REVOKED, row
    if await repository.step_code_in_use(session, row.id):
        return CodeStatus.USED, row
    return CodeStatus.USABLE, row


CODE_RULE: Final = (
    "A STEP code is 1 to 64 letters, digits, dots, dashes, slashes or underscores, starting and "
    "ending with a letter or digit."
)


class RowOutcome(StrEnum):
    ADDED = "ADDED"
    SKIPPED = "SKIPPED"  # already in the registry, or repeated in the file
    INVALID = "INVALID"


@dataclass(frozen=True, slots=True)
class CodeLine:
    line: int
    code: str | None
    company: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """What became of one line: ``code`` is the stored spelling when valid, else as given."""

    line: int
    code: str | None
    company: str | None
    outcome: RowOutcome
    reason: str | None = None


@dataclass
class ImportReport:
    rows: list[ImportedRow] = field(default_factory=list)

    def _count(self, outcome: RowOutcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    @property
    def added(self) -> int:
        return self._count(RowOutcome.ADDED)

    @property
    def skipped(self) -> int:
        return self._count(RowOutcome.SKIPPED)

    @property
    def invalid(self) -> int:
        return self._count(RowOutcome.INVALID)

    @property
    def invalid_lines(self) -> list[int]:
        return [row.line for row in self.rows if row.outcome is RowOutcome.INVALID]

    @property
    def added_codes(self) -> list[str]:
        return [row.code for row in self.rows if row.outcome is RowOutcome.ADDED and row.code]


def _refusal(item: CodeLine) -> str | None:
    """Why a line cannot be imported, or None."""
    if not (item.code or "").strip():
        return "No code in this row."
    if normalize_step_code(item.code or "") is None:
        return f"Not a valid code. {CODE_RULE}"
    company = (item.company or "").strip()
    if len(company) > ORGANIZATION_NAME_MAX:
        return f"The company name is longer than {ORGANIZATION_NAME_MAX} characters."
    if has_forbidden_characters(company):
        return "The company name contains control characters."
    return None


class CodesJustAdded(Exception):
    """Another import or admin added one of these codes a moment ago: nothing was added."""


async def import_codes(session: AsyncSession, lines: Iterable[CodeLine]) -> ImportReport:
    """Add the valid, new codes (ACTIVE), and say for every line what became of it. A code
    already in the registry — even a revoked one — is skipped and keeps its state: re-importing
    a file never revives a revoked code. (The CLI and the console's upload both land here.)
    Raises ``CodesJustAdded`` when a concurrent import won a race for one of the codes."""
    rows: list[ImportedRow | CodeLine] = []
    first_line: dict[str, int] = {}
    wanted: dict[str, str | None] = {}
    for item in lines:
        company = (item.company or "").strip() or None
        reason = _refusal(item)
        code = normalize_step_code(item.code or "") if reason is None else None
        if code is None:
            given = (item.code or "").strip()[:STEP_CODE_MAX] or None
            company = company[:ORGANIZATION_NAME_MAX] if company else None  # shown, not kept
            rows.append(ImportedRow(item.line, given, company, RowOutcome.INVALID, reason))
        elif code in first_line:
            reason = f"Repeated: the same code is on line {first_line[code]}."
            rows.append(ImportedRow(item.line, code, company, RowOutcome.SKIPPED, reason))
        else:
            first_line[code] = item.line
            wanted[code] = unicodedata.normalize("NFC", company) if company else None
            rows.append(CodeLine(item.line, code, wanted[code]))
    known = await repository.existing_step_codes(session, wanted.keys())
    report = ImportReport()
    new: list[StepPartnerCode] = []
    for row in rows:
        if isinstance(row, ImportedRow):
            report.rows.append(row)
            continue
        assert row.code is not None
        if row.code in known:
            report.rows.append(
                ImportedRow(
                    row.line, row.code, row.company, RowOutcome.SKIPPED, "Already in the registry."
                )
            )
            continue
        new.append(
            StepPartnerCode(code=row.code, company=row.company, status=StepCodeStatus.ACTIVE)
        )
        report.rows.append(ImportedRow(row.line, row.code, row.company, RowOutcome.ADDED))
    if new and not await repository.add_step_codes(session, new):
        raise CodesJustAdded
    return report
