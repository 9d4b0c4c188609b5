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
from domain.partners.errors import (
    ALREADY_REVOKED,
    DUPLICATE_STEP_CODE,
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


# --- the internal admins' registry ----------------------------------------------------------------


MAX_CODES_PER_REQUEST = 500
_CODE_RULE = (
    "A STEP code is 1 to 64 letters, digits, dots, dashes, slashes or underscores, starting and "
    "ending with a letter or digit."
)


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
            entry.add("code", INVALID_STEP_CODE, _CODE_RULE)
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
