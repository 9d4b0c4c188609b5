"""Reading a STEP partner-code file: CSV with a header row, a ``code`` column and optionally a
``company`` column (other columns are ignored; header names are matched case-insensitively).

One parser for both doors: ``server.py import-step-codes FILE`` reads a file, the console's upload
(``importStepPartnerCodes``) hands over the text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CodeLine:
    """One data row of a code list, with its line number in the file."""

    line: int
    code: str | None
    company: str | None = None


class CodeFileError(Exception):
    """The text cannot be read as a code list at all (nothing is imported)."""


def parse_code_csv(text: str) -> list[CodeLine]:
    """The data rows of a code list, each with its line number; blank lines are skipped."""
    # strict: a quote left open is a broken file, not a code that swallowed the rest of it
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise CodeFileError("the file is empty; expected a header row with `code`")
        names = [name.strip().lower() for name in header]
        if "code" not in names:
            raise CodeFileError("the header row has no `code` column")
        code_at = names.index("code")
        company_at = names.index("company") if "company" in names else None
        lines: list[CodeLine] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines are not codes, nor mistakes
            lines.append(
                CodeLine(
                    line=reader.line_num,
                    code=row[code_at] if code_at < len(row) else None,
                    company=row[company_at]
                    if company_at is not None and company_at < len(row)
                    else None,
                )
            )
        return lines
    except csv.Error as exc:
        raise CodeFileError(f"not a readable CSV file ({exc})") from exc


def read_code_file(path: str | Path) -> list[CodeLine]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except OSError as exc:
        raise CodeFileError(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise CodeFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        return parse_code_csv(text)
    except CodeFileError as exc:
        raise CodeFileError(f"{path}: {exc}") from exc
