"""Turning a mutation's userErrors into messages beside their fields (``field`` path → input)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from starlette.datastructures import FormData


class Problem(Protocol):
    @property
    def field(self) -> list[str] | None: ...

    @property
    def message(self) -> str: ...


def field_errors(
    problems: Iterable[Problem], inputs: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``{input name: message}``; the input is the path's last element (renamed by ``inputs``);
    an error with no field, or with one the form lacks, goes under ``""`` (the form's alert)."""
    out: dict[str, str] = {}
    for problem in problems:
        name = problem.field[-1] if problem.field else ""
        if inputs is not None:
            name = inputs.get(name, "")
        out.setdefault(name, problem.message)
    return out


def values(form: FormData, *names: str) -> dict[str, str]:
    return {name: str(form.get(name) or "").strip()[:500] for name in names}
