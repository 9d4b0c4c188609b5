"""The short paths of schema/execution.py answer exactly as Strawberry and graphql-core do: the same
data and the same errors (message, path, locations) for attribute leaves, nulls where none may be,
values a scalar refuses, attributes that raise, resolvers called directly, objects read from an
attribute or a preloaded resolver's attribute (set or not), lists of objects, objects of the wrong
type or cast to another, and errors raised below a short-path object."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType

from api.root import build_schema
from schema.execution import PortalExecutionContext, preloaded
from settings import Settings


@strawberry.enum(description="A colour.")
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface(description="Something with a name.")
class Named:
    name: str = strawberry.field(description="Name.")


@strawberry.type(description="A place (its type checks its values: it implements an interface).")
class Place(Named):
    size: int | None = strawberry.field(description="Size.")

    async def _later(self) -> int:
        return len(self.name) + 1

    later: int = strawberry.field(resolver=_later, description="Async.")


@strawberry.type(description="Another thing with a name.")
class Spot(Named):
    pass


@strawberry.type(description="A tag (no interface: graphql-core checks nothing of its values).")
class Tag:
    label: str = strawberry.field(description="Label.")


@strawberry.type(description="A type that checks its values itself, with the resolve info.")
class Checked:
    label: str = strawberry.field(description="Label.")

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, cls) and info.field_name == "checked"


@dataclass
class _Facts:
    rank: int | None


@strawberry.type(description="An item.")
class Item:
    name: str = strawberry.field(description="Name.")
    nickname: str | None = strawberry.field(description="Nickname.")
    count: int = strawberry.field(description="Count.")
    colour: Colour = strawberry.field(description="Colour.")
    maybe_colour: Colour | None = strawberry.field(description="Maybe a colour.")
    tags: list[str] = strawberry.field(description="Tags.")
    secret: strawberry.Private[str] = ""
    place: Place = strawberry.field(description="A place.")
    maybe_place: Place | None = strawberry.field(description="Maybe a place.")
    places: list[Place] = strawberry.field(description="Places.")
    tag: Tag | None = strawberry.field(description="A tag.")
    checked: Checked | None = strawberry.field(description="Checked by its type.")
    near_value: strawberry.Private[Place | None] = None
    facts: strawberry.Private[_Facts | None] = None

    @preloaded("near_value")
    def _near(self) -> Place:
        return self.near_value if self.near_value is not None else Place(name="loaded", size=None)

    @preloaded("facts.rank")  # a dotted path
    def _rank(self, info: strawberry.Info) -> int | None:
        if self.facts is not None and self.facts.rank is not None:
            return self.facts.rank
        return len(info.field_name)

    near: Place = strawberry.field(resolver=_near, description="Preloaded, or loaded.")
    rank: int | None = strawberry.field(resolver=_rank, description="Preloaded, or computed.")

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
    """An object whose ``name`` and ``place`` raise: the short path must not swallow or reorder
    the errors."""

    nickname = None
    count = 1
    colour = Colour.RED
    maybe_colour = None
    tags: tuple[str, ...] = ()
    secret = ""
    maybe_place = None
    places: tuple[Place, ...] = ()
    tag = None
    checked = None
    near_value = None
    facts = None

    @property
    def name(self) -> str:
        raise RuntimeError("no name")

    @property
    def place(self) -> Place:
        raise RuntimeError("no place")


def _place(name: Any = "p", size: Any = 3) -> Place:
    return Place(name=name, size=size)


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
            place=_place(),
            maybe_place=None,
            places=[_place("q"), _place("r", None)],
            tag=Tag(label="t"),
            checked=Checked(label="c"),
            near_value=_place("near"),
            facts=_Facts(rank=7),
        ),
        Item(
            name=None,  # type: ignore[arg-type]  # a non-null leaf answered null
            nickname="n",
            count="many",  # type: ignore[arg-type]  # a value Int refuses
            colour="green",  # type: ignore[arg-type]  # a value the enum does not hold
            maybe_colour=Colour.BLUE,
            tags=[],
            place=None,  # type: ignore[arg-type]  # a non-null object answered null
            maybe_place=Spot(name="s"),  # type: ignore[arg-type]  # an object of another type
            places=[_place(), None],  # type: ignore[list-item]  # a null item where none may be
            tag="not a tag",  # type: ignore[arg-type]  # no is_type_of: graphql-core reads on
            checked=None,
        ),
        Item(
            name="c",
            nickname=None,
            count=2**31,  # beyond Int's range
            colour=Colour.BLUE,
            maybe_colour=None,
            tags=[],
            # Cast to another type: Place's is_type_of refuses it.
            place=strawberry.cast(Spot, _place("cast")),
            maybe_place=_place(None),  # a null below: the error reaches the nullable place
            places=[_place(size="big")],  # a value Int refuses, below a list item
            tag=None,
            checked=None,
            facts=_Facts(rank=None),
        ),
        Item(
            name="d",
            nickname=None,
            count=True,  # Int serializes a bool as 1
            colour=Colour.RED,
            maybe_colour=None,
            tags=[],
            place=_place(None),  # a null below a non-null object: the item becomes null
            maybe_place=None,
            places=[Spot(name="s")],  # type: ignore[list-item]  # an item of another type
            tag=None,
            checked=None,
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


# Lists in lists cost more than the default limit allows (schema/limits.py): not under test here.
_SETTINGS = Settings(database_url="sqlite+aiosqlite:///unused.db", graphql_max_cost=10**6)

DOCUMENTS = [
    "{ items { name nickname count colour maybeColour tags shout fieldName rooted later } }",
    "{ items { name place { name size later } maybePlace { name size } places { name size } } }",
    "{ items { tag { label } near { name later } rank maybePlace { ... on Named { name } } } }",
    "{ items { a: place { name } b: place { size } places { __typename name } } }",
    "{ items { name maybePlace { later } checked { label } } }",
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
    portal = build_schema(_SETTINGS, queries=[ItemQuery])
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
    schema = build_schema(_SETTINGS, queries=[ItemQuery])
    assert schema.execution_context_class is PortalExecutionContext
    item = schema._schema.type_map["Item"]
    assert isinstance(item, GraphQLObjectType)
    marked = {name for name, f in item.fields.items() if "portal-short" in f.extensions}
    assert marked == {
        *("name", "nickname", "count", "colour", "maybeColour"),  # leaves
        *("place", "maybePlace", "tag"),  # objects
        *("near", "rank"),  # preloaded
    }
    # Direct resolvers replace Strawberry's wrapper where the field has no argument.
    strawberry_wrapped = {
        name for name, f in item.fields.items() if "from_resolver" in f.resolve.__qualname__
    }
    assert strawberry_wrapped == {"times"}


async def test_the_unmasked_errors_read_the_same() -> None:
    """Without the masking extension's rewrite: graphql-core's own messages, as before."""
    portal = build_schema(_SETTINGS, queries=[ItemQuery])
    portal.extensions = ()  # only the executor differs from Strawberry's now
    reference = strawberry.Schema(query=ItemQuery)
    for document in DOCUMENTS:
        assert _answer(await portal.execute(document)) == _answer(await reference.execute(document))
