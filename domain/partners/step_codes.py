"""The STEP partner-code registry: normalization, whether a code may be used, the CLI's import,
and the internal admins' use cases (``STEP_CODE_MANAGE``): list and search it, add codes (given,
or generated), revoke unused ones.

* A code is kept normalized — trimmed, NFKC, upper case — so that what a partner types matches
  what the vendor imported however either was capitalized. One code makes one partner
  organization (``organization.step_code_id`` is unique).
* A code is unique in the registry; adding one that exists (even revoked), or the same one twice
  in a request, is refused with ``DUPLICATE_STEP_CODE`` on that entry, and nothing is added: a
  request adds all of its codes or none.
* Only an unused code can be revoked: revoking stops it from being used to join as a partner.
  A code that already made a partner organization is that partner's identity (customers invite
  the partner by it) and is refused with ``STEP_CODE_IN_USE``: to cut a partner off, suspend its
  organization. Revoking a revoked code is ``ALREADY_REVOKED`` (like suspending a suspended
  organization), so a console retrying a click learns the state instead of a silent success.
* Revocation and approval of a request with the same code lock the code's row, so they end one
  way: either the partner exists (and revocation is refused) or the code is revoked (and the
  approval is refused with ``INVALID_STEP_CODE``).
* A code used by a partner organization shows which (``StepPartnerCode.organization``).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import StepPartnerCode
from domain.accounts.validation import ORGANIZATION_NAME_MAX, clean_text, has_forbidden_characters
from domain.audit.service import record, record_by
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.context import RequestMeta
from domain.enums import StepCodeStatus
from domain.errors import NotFound, UserError, Validator
from domain.partners import repository
from domain.partners.code_file import CodeFileError, CodeLine, parse_code_csv
from domain.partners.errors import (
    ALREADY_REVOKED,
    CSV_TOO_LARGE,
    DUPLICATE_STEP_CODE,
    INVALID_CSV,
    INVALID_STEP_CODE,
    STEP_CODE_IN_USE,
    TOO_MANY_CODES,
)
from kit.crypto import CODE_ALPHABET
from kit.pagination import Page, PageRequest, make_page

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


# --- the internal admins' registry ----------------------------------------------------------------


MAX_CODES_PER_REQUEST = 500
# The console reads uploads up to this size; JSON-escaped it still fits a GraphQL request body.
MAX_CSV_BYTES = 100 * 1024
MAX_CSV_ROWS = 2000


@dataclass(frozen=True, slots=True)
class NewCode:
    code: str | None  # None: generate one
    company: str | None


def generate_step_code() -> str:
    """``STEP-XXXX-XXXX`` from the unambiguous alphabet (≈39 bits: the registry, not the code's
    secrecy, is what makes it valid — and joining with one is rate limited)."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"STEP-{body[:4]}-{body[4:]}"


async def list_step_codes(
    session: AsyncSession,
    principal: Principal,
    *,
    search: str | None,
    status: StepCodeStatus | None,
    page: PageRequest,
) -> Page[StepPartnerCode]:
    """Newest first; ``search`` matches part of the code or of the company's name."""
    require_global(principal, GlobalAction.STEP_CODE_MANAGE)
    term = (search or "").strip() or None
    rows = await repository.list_step_codes(
        session, search=term, status=status, before=page.after, limit=page.first + 1
    )
    return make_page(rows, page)


async def count_step_codes(
    session: AsyncSession, *, search: str | None, status: StepCodeStatus | None
) -> int:
    term = (search or "").strip() or None
    return await repository.count_step_codes(session, search=term, status=status)


async def create_step_codes(
    session: AsyncSession, principal: Principal, meta: RequestMeta, codes: Sequence[NewCode]
) -> list[StepPartnerCode]:
    require_global(principal, GlobalAction.STEP_CODE_MANAGE)
    v = Validator(("input",))
    if not 1 <= len(codes) <= MAX_CODES_PER_REQUEST:
        v.add("codes", TOO_MANY_CODES, f"Add between 1 and {MAX_CODES_PER_REQUEST} codes at once.")
        v.raise_if_any()
    wanted: dict[str, str | None] = {}
    entries: list[tuple[Validator, str | None]] = []
    for index, item in enumerate(codes):
        entry = Validator(("input", "codes", str(index)))
        company = clean_text(
            entry,
            "company",
            item.company,
            label="Company",
            max_length=ORGANIZATION_NAME_MAX,
            required=False,
        )
        value = generate_step_code() if item.code is None else normalize_step_code(item.code)
        if value is None:
            entry.add("code", INVALID_STEP_CODE, CODE_RULE)
        elif value in wanted:
            entry.add("code", DUPLICATE_STEP_CODE, "This code is given twice.")
        else:
            wanted[value] = company
        entries.append((entry, value))
    known = await repository.existing_step_codes(session, wanted.keys())
    for entry, value in entries:
        if value is not None and value in known and not entry.errors:
            entry.add("code", DUPLICATE_STEP_CODE, "This code already exists.")
        v.errors.extend(entry.errors)
    v.raise_if_any()
    rows = [
        StepPartnerCode(code=code, company=company, status=StepCodeStatus.ACTIVE)
        for code, company in wanted.items()
    ]
    if not await repository.add_step_codes(session, rows):
        # Added by someone else a moment ago (or a generated code collided: astronomically rare).
        raise UserError(
            DUPLICATE_STEP_CODE, "One of these codes was just added; try again.", ("input", "codes")
        )
    await record(
        session,
        "step_code.created",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        target_type="step_partner_code",
        details={"count": len(rows), "codes": [row.code for row in rows]},
    )
    return rows


async def revoke_step_code(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, code_id: str
) -> StepPartnerCode:
    require_global(principal, GlobalAction.STEP_CODE_MANAGE)
    field = ("input", "id")
    row_id = parse_id(code_id, "STEP partner code", field)
    row = await repository.lock_step_code(session, row_id)
    if row is None:
        raise NotFound("STEP partner code", field)
    if row.status is StepCodeStatus.REVOKED:
        raise UserError(ALREADY_REVOKED, "This STEP partner code is already revoked.", field)
    if await repository.step_code_in_use(session, row_id):
        raise UserError(
            STEP_CODE_IN_USE,
            "This STEP partner code belongs to a partner organization; suspend the organization "
            "instead.",
            field,
        )
    await repository.revoke_step_code(session, row_id)
    await record_by(
        session,
        principal,
        meta,
        "step_code.revoked",
        target=("step_partner_code", row_id),
        details={"code": row.code},
    )
    fresh = await repository.lock_step_code(session, row_id)
    assert fresh is not None
    return fresh


async def import_step_codes_csv(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, text: str
) -> ImportReport:
    """The console's upload of an ``import-step-codes`` file: the CLI's parser and rules
    (``code_file.parse_code_csv``, ``import_codes``), with a report per row. A file that is no
    code list at all is ``INVALID_CSV`` and adds nothing."""
    require_global(principal, GlobalAction.STEP_CODE_MANAGE)
    field = ("input", "csv")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CSV_BYTES:
        raise UserError(
            CSV_TOO_LARGE, f"The file is larger than {MAX_CSV_BYTES // 1024} KiB.", field
        )
    try:
        lines = parse_code_csv(text)
    except CodeFileError as exc:
        raise UserError(INVALID_CSV, f"This is not a STEP code list: {exc}.", field) from exc
    if not lines:
        raise UserError(INVALID_CSV, "The file has a header row but no codes.", field)
    if len(lines) > MAX_CSV_ROWS:
        raise UserError(
            TOO_MANY_CODES, f"Upload at most {MAX_CSV_ROWS} codes at once; split the file.", field
        )
    try:
        report = await import_codes(session, lines)
    except CodesJustAdded as exc:
        raise UserError(
            DUPLICATE_STEP_CODE, "One of these codes was just added; upload the file again.", field
        ) from exc
    if report.added:
        await record(
            session,
            "step_code.created",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            target_type="step_partner_code",
            details={
                "count": report.added,
                "codes": report.added_codes,
                "source": "csv",
                "skipped": report.skipped,
                "invalid": report.invalid,
            },
        )
    return report
