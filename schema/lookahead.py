"""What a client selected below a connection field, for resolvers that load a page's facts at once.

Why: an ``async`` resolver on every node of a page costs graphql-core a coroutine, a task and a
DataLoader future per node and field (150 of each for 50 customers with three counts): more than
the SQL behind them. A connection resolver that knows which node fields were asked for can load
them for the whole page with the same DataLoaders before building the nodes, whose fields then
answer synchronously. The answer is only a hint: a field the hint misses still loads itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    """The fields of a selection set, with those of its fragments (directives are not evaluated:
    a field under ``@skip`` counts as selected, which costs a query, never a wrong answer)."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)


def selected_below(selections: Sequence[Selection], path: Sequence[str]) -> frozenset[str]:
    """The names of the fields selected at ``path`` below the given selections, e.g.
    ``selected_below(info.selected_fields, ("edges", "node"))`` for a connection's nodes (and
    ``("nodes",)`` where a connection offers them)."""
    level: list[Selection] = []
    for field in _fields(selections):  # the current field (one per alias and fragment)
        level.extend(field.selections)
    for name in path:
        level = [s for f in _fields(level) if f.name == name for s in f.selections]
    return frozenset(f.name for f in _fields(level))
