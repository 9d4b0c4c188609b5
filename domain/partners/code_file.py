"""Reading a STEP partner-code file: CSV with a header row, a ``code`` column and optionally a
``company`` column (other columns are ignored; header names are matched case-insensitively)."""

from __future__ import annotations

import csv
from pathlib import Path

from domain.partners.step_codes import CodeLine


class CodeFileError(Exception):
    """The file cannot be read as a code list at all (nothing is imported)."""


def read_code_file(path: str | Path) -> list[CodeLine]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise CodeFileError(f"{path}: the file is empty; expected a header row with `code`")
            names = [name.strip().lower() for name in header]
            if "code" not in names:
                raise CodeFileError(f"{path}: the header row has no `code` column")
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
    except OSError as exc:
        raise CodeFileError(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise CodeFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise CodeFileError(f"{path}: not a readable CSV file ({exc})") from exc
