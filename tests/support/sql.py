"""Counting the SQL statements one piece of work sends (for "constant in the page size" tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Background work of the process (the outbox worker polls) is not the request's.
BACKGROUND_TABLES = ("outbox_message",)


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect every statement sent on ``engine`` inside the block (background polling aside)."""
    statements: list[str] = []

    def before_cursor_execute(
        _conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if not any(table in statement for table in BACKGROUND_TABLES):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before_cursor_execute)
