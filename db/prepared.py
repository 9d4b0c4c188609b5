"""Core statements compiled once and run on the driver's own connection.

For the few statements of the hottest paths (a refresh grant runs three), SQLAlchemy's execution
machinery — the execution context, parameter construction, result metadata, the ORM session
around them — costs several times what SQLite or PostgreSQL take to run them. ``Prepared`` keeps
what SQLAlchemy decides once (the SQL text for the dialect, the order of the parameters, each
column type's bind and result conversions) and applies it per call, so values go in and come out
exactly as through SQLAlchemy: the same stored forms (UUIDs as hex on SQLite, naive UTC
datetimes there, enum names) and the same Python values back. ``tests/db/test_prepared.py``
checks that against SQLAlchemy on both databases.

Only what these paths need: positional binds; a column's Python-side default or ``onupdate``
(``uuid7``, ``utcnow``: a constant or a function of no arguments) is computed per call, as
SQLAlchemy does; one that needs SQLAlchemy's execution context is refused when the statement is
compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_Convert = Callable[[Any], Any] | None
_Default = Callable[[], Any] | None


@dataclass(frozen=True, slots=True)
class Prepared:
    sql: str
    # Per positional parameter: its name (given per call) or its literal, and its conversion.
    _names: tuple[str | None, ...]
    _literals: tuple[Any, ...]
    _binds: tuple[_Convert, ...]
    _results: tuple[_Convert, ...]
    # Per positional parameter: the column default computed for it per call, if any.
    _defaults: tuple[_Default, ...]

    @classmethod
    def compile(
        cls, statement: ClauseElement, dialect: Dialect, *, columns: Sequence[str] | None = None
    ) -> Prepared:
        """``columns``: an INSERT's columns, all of which each call gives."""
        compiled = statement.compile(dialect=dialect, column_keys=columns)
        assert isinstance(compiled, SQLCompiler)
        assert compiled.positiontup is not None, "a positional paramstyle (qmark, numeric_dollar)"
        prefetched: dict[str, Any] = {}
        if compiled.insert_prefetch or compiled.update_prefetch:  # an INSERT's or an UPDATE's
            key = compiled._within_exec_param_key_getter
            prefetched.update((key(c), c.default) for c in compiled.insert_prefetch)
            prefetched.update((key(c), c.onupdate) for c in compiled.update_prefetch)
        names: list[str | None] = []
        literals: list[Any] = []
        binds: list[_Convert] = []
        defaults: list[_Default] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            # Otherwise the statement carries its own value (e.g. an enum in a WHERE clause).
            given = bind.required
            names.append(name if given else None)
            literals.append(None if given else bind.effective_value)
            binds.append(bind.type._cached_bind_processor(dialect))
            defaults.append(_default(prefetched[name]) if name in prefetched else None)
        results = tuple(
            column.type._cached_result_processor(dialect, None)
            for column in getattr(statement, "exported_columns", ())
        )
        return cls(
            compiled.string,
            tuple(names),
            tuple(literals),
            tuple(binds),
            results,
            tuple(defaults),
        )

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, literal, convert, default in zip(
            self._names, self._literals, self._binds, self._defaults, strict=True
        ):
            if default is not None:
                value = default()
            elif name is None:
                value = literal
            else:
                value = values[name]
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


def _default(default: Any) -> Callable[[], Any]:
    """A column default as a function of no arguments: a constant, or a function SQLAlchemy
    calls without its execution context (it wraps those, keeping the original as
    ``__wrapped__``)."""
    if default.is_scalar:
        value = default.arg
        return lambda: value
    function = getattr(default.arg, "__wrapped__", None) if default.is_callable else None
    if function is None:
        raise ValueError("a column default that needs SQLAlchemy's execution context")
    return function  # type: ignore[no-any-return]
