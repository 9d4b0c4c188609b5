"""The short paths of schema/execution.py answer exactly as Strawberry and graphql-core do: the same
data and the same errors (message, path, locations) for attribute leaves, nulls where none may be,
values a scalar refuses, attributes that raise, and resolvers called directly."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType

from api.root import build_schema
from schema.execution import PortalExecutionContext
from settings import Settings


@strawberry.enum(description="A colour.")
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type(description="An item.")
class Item:
    name: str = strawberry.field(description="Name.")
    nickname: str | None = strawberry.field(description="Nickname.")
    count: int = strawberry.field(description="Count.")
    colour: Colour = strawberry.field(description="Colour.")
    maybe_colour: Colour | None = strawberry.field(description="Maybe a colour.")
    tags: list[str] = strawberry.field(description="Tags.")
    secret: strawberry.Private[str] = ""

    def _shout(self) -> str:
        return self.name.upper()

    def _field_name(self, info: strawberry.Info) -> str:
        return f"{info.field_name}:{info.path.key}:{self.secret}"

    @staticmethod
    def _rooted(root: Item) -> str:
        return root.name + "!"

    async def _later(self) -> int:
        return self.count + 1

    def _broken(self) -> str | None:
        raise ValueError("broken resolver")

    def _times(self, n: int) -> str:
        return self.name * n

    shout: str = strawberry.field(resolver=_shout, description="From self.")
    field_name: str = strawberry.field(resolver=_field_name, description="From self and info.")
    rooted: str = strawberry.field(resolver=_rooted, description="From root.")
    later: int = strawberry.field(resolver=_later, description="Async.")
    broken: str | None = strawberry.field(resolver=_broken, description="Raises.")
    times: str = strawberry.field(resolver=_times, description="With an argument.")


class _Raising:
    """An object whose ``name`` raises: the short path must not swallow or reorder the error."""

    nickname = None
    count = 1
    colour = Colour.RED
    maybe_colour = None
    tags: tuple[str, ...] = ()
    secret = ""

    @property
    def name(self) -> str:
        raise RuntimeError("no name")


def _items() -> list[Any]:
    return [
        Item(
            name="a",
            nickname=None,
            count=1,
            colour=Colour.RED,
            maybe_colour=None,
            tags=["x"],
            secret="s",
        ),
        Item(
            name=None,  # type: ignore[arg-type]  # a non-null leaf answered null
            nickname="n",
            count="many",  # type: ignore[arg-type]  # a value Int refuses
            colour="green",  # type: ignore[arg-type]  # a value the enum does not hold
            maybe_colour=Colour.BLUE,
            tags=[],
        ),
        _Raising(),
    ]


def _all_items() -> list[Item | None]:
    return _items()


def _first() -> Item:
    item: Item = _items()[0]
    return item


@strawberry.type(description="Root.")
class ItemQuery:
    items: list[Item | None] = strawberry.field(resolver=_all_items, description="Items.")
    first: Item = strawberry.field(resolver=_first, description="One item.")


DOCUMENTS = [
    "{ items { name nickname count colour maybeColour tags shout fieldName rooted later } }",
    "{ items { nickname maybeColour tags } }",
    "{ items { broken times(n: 2) } }",
    "{ first { name alias: name count __typename shout later } }",
    "query { first { ...F } } fragment F on Item { name colour maybeColour }",
]


def _answer(result: Any) -> tuple[Any, list[tuple[str, Any, Any]]]:
    errors = sorted(
        (
            (e.message, e.path, [(loc.line, loc.column) for loc in e.locations or []])
            for e in result.errors or []
        ),
        key=lambda error: str(error[1:]),
    )
    return result.data, errors


@pytest.mark.parametrize("document", DOCUMENTS)
async def test_the_short_paths_answer_as_strawberry_does(document: str) -> None:
    portal = build_schema(
        Settings(database_url="sqlite+aiosqlite:///unused.db"), queries=[ItemQuery]
    )
    reference = strawberry.Schema(query=ItemQuery)
    ours = await portal.execute(document)
    theirs = await reference.execute(document)
    # Masking (schema/extensions.py) rewrites unexpected errors' messages: compare their places,
    # and the messages of the others.
    data, errors = _answer(ours)
    their_data, their_errors = _answer(theirs)
    assert data == their_data
    assert [(path, where) for _, path, where in errors] == [
        (path, where) for _, path, where in their_errors
    ]


def test_the_short_paths_are_in_use() -> None:
    schema = build_schema(
        Settings(database_url="sqlite+aiosqlite:///unused.db"), queries=[ItemQuery]
    )
    assert schema.execution_context_class is PortalExecutionContext
    item = schema._schema.type_map["Item"]
    assert isinstance(item, GraphQLObjectType)
    marked = {name for name, f in item.fields.items() if "portal-attribute" in f.extensions}
    assert marked == {"name", "nickname", "count", "colour", "maybeColour"}
    # Direct resolvers replace Strawberry's wrapper where the field has no argument.
    strawberry_wrapped = {
        name for name, f in item.fields.items() if "from_resolver" in f.resolve.__qualname__
    }
    assert strawberry_wrapped == {"times"}


async def test_the_unmasked_errors_read_the_same() -> None:
    """Without the masking extension's rewrite: graphql-core's own messages, as before."""
    portal = build_schema(
        Settings(database_url="sqlite+aiosqlite:///unused.db"), queries=[ItemQuery]
    )
    portal.extensions = ()  # only the executor differs from Strawberry's now
    reference = strawberry.Schema(query=ItemQuery)
    for document in DOCUMENTS:
        assert _answer(await portal.execute(document)) == _answer(await reference.execute(document))
