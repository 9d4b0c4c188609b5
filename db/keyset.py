"""Keyset pagination in SQL: one list, or one page per parent for a batch of parents.

Rows are ordered by their UUIDv7 primary key; a page is ``first + 1`` rows after the cursor (the
extra row says whether another page exists; ``kit.pagination.make_page`` drops it).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from kit.pagination import PageRequest

T = TypeVar("T")


def keyset(stmt: Select[Any], id_column: Any, page: PageRequest) -> Select[Any]:
    if page.after is not None:
        stmt = stmt.where(id_column > page.after)
    return stmt.order_by(id_column).limit(page.first + 1)


async def pages_by_parent(
    session: AsyncSession,
    model: type[T],
    parent_column: InstrumentedAttribute[uuid.UUID],
    keys: Sequence[tuple[uuid.UUID, PageRequest]],
    *where: ColumnElement[bool],
) -> list[list[T]]:
    """For each ``(parent_id, page)`` key, that parent's children on that page (``first + 1``
    rows at most), in one statement per distinct page request.

    A window (``row_number() OVER (PARTITION BY parent ORDER BY id)``) caps every parent's rows in
    the database, so a parent with a million children costs what one with ten does.
    """
    id_column: Any = model.id  # type: ignore[attr-defined]
    by_page: dict[PageRequest, set[uuid.UUID]] = defaultdict(set)
    for parent_id, page in keys:
        by_page[page].add(parent_id)
    found: dict[tuple[uuid.UUID, PageRequest], list[T]] = defaultdict(list)
    for page, parents in by_page.items():
        row_number = (
            func.row_number().over(partition_by=parent_column, order_by=id_column).label("rn")
        )
        inner = select(model, row_number).where(parent_column.in_(parents), *where)
        if page.after is not None:
            inner = inner.where(id_column > page.after)
        subquery = inner.subquery()
        row = aliased(model, subquery)
        stmt = (
            select(row)
            .where(subquery.c.rn <= page.first + 1)
            .order_by(subquery.c[parent_column.key], subquery.c.id)
        )
        for item in (await session.scalars(stmt)).all():
            found[(getattr(item, parent_column.key), page)].append(item)
    return [found.get(key, []) for key in keys]
