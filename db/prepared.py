"""Core statements compiled once and run on the driver's own connection.

For the few statements of the hottest paths (a refresh grant runs three), SQLAlchemy's execution
machinery — the execution context, parameter construction, result metadata, the ORM session
around them — costs several times what SQLite or PostgreSQL take to run them. ``Prepared`` keeps
what SQLAlchemy decides once (the SQL text for the dialect, the order of the parameters, each
column type's bind and result conversions) and applies it per call, so values go in and come out
exactly as through SQLAlchemy: the same stored forms (UUIDs as hex on SQLite, naive UTC
datetimes there, enum names) and the same Python values back. ``tests/db/test_prepared.py``
checks that against SQLAlchemy on both databases.

Only what these paths need: positional binds, no Python-side column defaults (every inserted
value is given; a statement that would need one is refused when it is compiled).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_Convert = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Prepared:
    sql: str
    # Per positional parameter: its name (given per call) or its literal, and its conversion.
    _names: tuple[str | None, ...]
    _literals: tuple[Any, ...]
    _binds: tuple[_Convert, ...]
    _results: tuple[_Convert, ...]

    @classmethod
    def compile(
        cls, statement: ClauseElement, dialect: Dialect, *, columns: Sequence[str] | None = None
    ) -> Prepared:
        """``columns``: an INSERT's columns, all of which each call gives."""
        compiled = statement.compile(dialect=dialect, column_keys=columns)
        assert isinstance(compiled, SQLCompiler)
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise ValueError("a statement with Python-side defaults: give every value")
        assert compiled.positiontup is not None, "a positional paramstyle (qmark, numeric_dollar)"
        names: list[str | None] = []
        literals: list[Any] = []
        binds: list[_Convert] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            # Otherwise the statement carries its own value (e.g. an enum in a WHERE clause).
            given = bind.required
            names.append(name if given else None)
            literals.append(None if given else bind.effective_value)
            binds.append(bind.type._cached_bind_processor(dialect))
        results = tuple(
            column.type._cached_result_processor(dialect, None)
            for column in getattr(statement, "exported_columns", ())
        )
        return cls(compiled.string, tuple(names), tuple(literals), tuple(binds), results)

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, literal, convert in zip(self._names, self._literals, self._binds, strict=True):
            value = literal if name is None else values[name]
            out.append(value if convert is None else convert(value))
        return tuple(out)

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        results = self._results
        if not any(results):
            return [tuple(row) for row in raw]
        return [
            tuple(
                value if convert is None else convert(value)
                for value, convert in zip(row, results, strict=True)
            )
            for row in raw
        ]
