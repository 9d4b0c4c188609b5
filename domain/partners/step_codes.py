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


@dataclass
class ImportReport:
    added: int = 0
    skipped: int = 0  # already known, or repeated in the file
    invalid: int = 0
    invalid_lines: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CodeLine:
    line: int
    code: str | None
    company: str | None = None


async def import_codes(session: AsyncSession, lines: Iterable[CodeLine]) -> ImportReport:
    """Add the valid, new codes (ACTIVE). A code already in the registry — even a revoked one —
    is skipped and keeps its state: re-importing a file never revives a revoked code."""
    report = ImportReport()
    wanted: dict[str, str | None] = {}
    for item in lines:
        code = normalize_step_code(item.code or "")
        company = (item.company or "").strip() or None
        if company is not None and (
            len(company) > ORGANIZATION_NAME_MAX or has_forbidden_characters(company)
        ):
            code = None
        if code is None:
            report.invalid += 1
            report.invalid_lines.append(item.line)
        elif code in wanted:
            report.skipped += 1
        else:
            wanted[code] = unicodedata.normalize("NFC", company) if company else None
    known = await repository.existing_step_codes(session, wanted.keys())
    for code, company in wanted.items():
        if code in known:
            report.skipped += 1
            continue
        session.add(StepPartnerCode(code=code, company=company, status=StepCodeStatus.ACTIVE))
        report.added += 1
    await session.flush()
    return report
