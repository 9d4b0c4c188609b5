"""Internal admins manage the STEP partner-code registry (``STEP_CODE_MANAGE``): list and search
it, add codes (given, or generated), revoke unused ones.

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

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database
from db.models import StepPartnerCode
from domain.accounts.validation import ORGANIZATION_NAME_MAX, clean_text
from domain.audit.service import record
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.context import RequestMeta
from domain.enums import StepCodeStatus
from domain.errors import NotFound, UserError, Validator
from domain.partners import repository
from domain.partners.code_file import CodeFileError, parse_code_csv
from domain.partners.step_codes import (
    CODE_RULE,
    INVALID_STEP_CODE,
    CodesJustAdded,
    ImportReport,
    import_codes,
    normalize_step_code,
)
from kit.crypto import CODE_ALPHABET
from kit.pagination import Page, PageRequest, make_page

DUPLICATE_STEP_CODE = "DUPLICATE_STEP_CODE"
TOO_MANY_CODES = "TOO_MANY_CODES"
ALREADY_REVOKED = "ALREADY_REVOKED"
STEP_CODE_IN_USE = "STEP_CODE_IN_USE"
INVALID_CSV = "INVALID_CSV"
CSV_TOO_LARGE = "CSV_TOO_LARGE"
# The console reads uploads up to this size; JSON-escaped it still fits a GraphQL request body.
MAX_CSV_BYTES = 100 * 1024
MAX_CSV_ROWS = 2000
MAX_CODES_PER_REQUEST = 500


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
    db: Database,
    principal: Principal,
    *,
    search: str | None,
    status: StepCodeStatus | None,
    page: PageRequest,
) -> Page[StepPartnerCode]:
    """Newest first; ``search`` matches part of the code or of the company's name."""
    require_global(principal, GlobalAction.STEP_CODE_MANAGE)
    term = (search or "").strip() or None
    async with db.read_session() as session:
        rows = await repository.list_step_codes(
            session, search=term, status=status, before=page.after, limit=page.first + 1
        )
    return make_page(rows, page)


async def count_step_codes(
    db: Database, *, search: str | None, status: StepCodeStatus | None
) -> int:
    term = (search or "").strip() or None
    async with db.read_session() as session:
        return await repository.count_step_codes(session, search=term, status=status)


async def create_step_codes(
    session: AsyncSession, principal: Principal, codes: Sequence[NewCode], meta: RequestMeta
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
    session: AsyncSession, principal: Principal, *, code_id: str, meta: RequestMeta
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
    await record(
        session,
        "step_code.revoked",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        target_type="step_partner_code",
        target_id=row_id,
        details={"code": row.code},
    )
    fresh = await repository.lock_step_code(session, row_id)
    assert fresh is not None
    return fresh


async def import_step_codes_csv(
    session: AsyncSession, principal: Principal, *, text: str, meta: RequestMeta
) -> ImportReport:
    """The console's upload of an ``import-step-codes`` file: the CLI's parser and rules
    (``code_file.parse_code_csv``, ``step_codes.import_codes``), with a report per row. A file
    that is no code list at all is ``INVALID_CSV`` and adds nothing."""
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
