"""Hostile requests generated from a schema: for every root field, a bounded, deterministic set of
operations whose String/ID/Int/... arguments and input-object fields hold hostile values.

Generated from the schema (introspected from the live server), so fields other areas add later
are covered without anyone writing a line here.

Per root field (``n`` = ``len(HOSTILE_STRINGS)``):

* ``n`` "rotation" requests: request ``r`` gives the leaf at path ``p`` hostile value
  ``(r + crc32(p)) mod n``, so every leaf sees every value once (the form is invalid everywhere at
  once: this exercises validation);
* ``n`` "plausible" requests: every leaf holds a valid-looking value (chosen by its name: an
  email, a country code, a strong password…) except one string leaf, which holds a hostile value —
  so the request gets past validation of the other fields into the service and the database;
* the 100 KB string in two string leaves per request (the body limit is 256 KB), others plausible;
* what the HTTP layer or variable coercion refuses as a whole: NUL, unpaired surrogates, integers
  beyond 32 bits, a hostile string in a custom scalar.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
)

LONG = "A" * 100_000  # 100 KB
HOSTILE_STRINGS: list[str] = [
    "",
    " \t\u3000\u200b\ufeff ",  # blank in several ways
    "\x01\x02\x07\x08\x0b\x0c\x1b[31m\x7f\x85",  # control characters
    "\u202eexe.txt\u202c\u2066",  # right-to-left override, isolates
    "' OR '1'='1'; DROP TABLE users; --",  # SQL
    '"; SELECT pg_sleep(10); --\\',
    "<script>alert(1)</script><img src=x onerror=alert(1)>&amp;&#0;",  # HTML
    "{{7*7}}${7*7}%s%n%x",  # templates, format strings
    "../../../../etc/passwd",
    "x" * 250 + "@" + "e" * 250 + ".test",  # an "email" over every length limit
    "Ａｄｍｉｎ\u0301\u0327\U0001f600𝕏",  # noqa: RUF001 (full-width, combining, astral)
    "a@b",
    "null",
]
# Values the HTTP layer refuses for the whole request (tested on every field all the same).
NUL = "abc\x00def"
LONE_SURROGATE = "abc\ud800def"
INTS = [0, -1, 2**31 - 1, -(2**31), 1, 7]
# Requests carrying the 100 KB string, two string leaves each: the first 16 string leaves of a
# field (forms have fewer; deeper ones still get every other hostile value).
MAX_LONG_REQUESTS = 8
HUGE_INTS = [2**31, -(2**31) - 1, 2**63, 10**30]
FLOATS = [0.0, -1e308, 1e308, 5e-324, -0.0, 1.5]
FIXED_UUID = "00000000-0000-7000-8000-000000000000"
# Custom scalars we know how to fill with something valid (hostile strings go in separately).
VALID_CUSTOM = {
    "UUID": FIXED_UUID,
    "DateTime": "2026-01-01T00:00:00+00:00",
    "Date": "2026-01-01",
    "Time": "12:00:00",
    "JSON": {},
    "Decimal": "1.5",
}
BUILT_IN = {"String", "ID", "Int", "Float", "Boolean"}
# Valid-looking strings by (part of) an input's name, first match wins.
PLAUSIBLE: list[tuple[str, str]] = [
    ("email", ""),  # made unique per leaf and request
    ("password", "correct horse battery staple 42"),
    ("country", "DE"),
    ("phone", "+49 30 1234567"),
    ("timezone", "Europe/Berlin"),
    ("time_zone", "Europe/Berlin"),
    ("mac", "00:1A:2B:3C:4D:5E"),
    ("serial", "SN-ABUSE-0001"),
    ("url", "https://example.test/"),
    ("uri", "https://example.test/"),
    ("reason", "Not a partner of ours."),
    ("firstname", "Ada"),
    ("lastname", "Lovelace"),
    ("name", "Abuse Test Organization"),
    ("address", "Hauptstraße 1, 10115 Berlin"),
    ("code", "ABCD2345"),
    ("token", "t" * 43),
    ("key", "ABCD-EFGH-JKLM-NPQR"),
]


@dataclass
class Probe:
    """One request for one root field."""

    operation: str  # "query" or "mutation"
    field: str
    variant: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Fill:
    """How leaves are filled in one request."""

    rotation: int
    string: str | None = None
    int_: int | None = None
    custom_hostile: bool = False
    # Plausible values everywhere except: the string leaf with this ordinal (traversal order)
    # holds ``HOSTILE_STRINGS[rotation]``; or, with ``long_group`` k, string leaves 2k and 2k+1
    # hold the 100 KB string.
    plausible: bool = False
    hostile_leaf: int | None = None
    long_group: int | None = None
    string_leaves: int = 0
    counter: int = 0  # makes plausible emails unique within a request

    def index(self, path: str) -> int:
        return self.rotation + zlib.crc32(path.encode())


def probes(schema: GraphQLSchema) -> Iterator[Probe]:
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        if root is None:
            continue
        for name, definition in sorted(root.fields.items()):
            if name.startswith("__"):
                continue
            yield from _field_probes(operation, name, definition)


def _field_probes(operation: str, name: str, definition: GraphQLField) -> Iterator[Probe]:
    fills = [(f"rotation {r}", _Fill(rotation=r)) for r in range(len(HOSTILE_STRINGS))]
    leaves = _leaf_kinds(definition)
    if "string" in leaves:
        counter = _Fill(rotation=0, plausible=True)
        _arguments(definition, counter)
        strings = counter.string_leaves
        fills.extend(
            (
                f"plausible {r}",
                _Fill(rotation=r, plausible=True, hostile_leaf=r % strings),
            )
            for r in range(len(HOSTILE_STRINGS))
        )
        groups = min((strings + 1) // 2, MAX_LONG_REQUESTS)
        fills.extend(
            (f"100 KB strings {k}", _Fill(rotation=k, plausible=True, long_group=k))
            for k in range(groups)
        )
        fills.append(("NUL", _Fill(rotation=0, string=NUL)))
        fills.append(("unpaired surrogate", _Fill(rotation=0, string=LONE_SURROGATE)))
    if "int" in leaves:
        fills.extend((f"int {v}", _Fill(rotation=0, int_=v)) for v in HUGE_INTS[:2])
    if "custom" in leaves:
        fills.append(("hostile custom scalar", _Fill(rotation=1, custom_hostile=True)))
    if not definition.args:
        fills = fills[:3]  # nothing to fill: a few requests (one per token kind) are enough
    selection = _selection(definition.type, depth=0)
    for variant, fill in fills:
        variables = _arguments(definition, fill)
        declarations = ", ".join(
            f"${arg_name}: {arg.type}"
            for arg_name, arg in definition.args.items()
            if arg_name in variables
        )
        arguments = ", ".join(f"{arg_name}: ${arg_name}" for arg_name in variables)
        header = f"{operation} Probe({declarations})" if declarations else f"{operation} Probe"
        call = f"{name}({arguments})" if arguments else name
        yield Probe(operation, name, variant, f"{header} {{ {call}{selection} }}", variables)


def _arguments(definition: GraphQLField, fill: _Fill) -> dict[str, Any]:
    values = {
        name: _value(arg.type, fill, path=name, depth=0) for name, arg in definition.args.items()
    }
    return {k: v for k, v in values.items() if v is not _OMIT}


_OMIT = object()


def _value(type_: GraphQLInputType, fill: _Fill, path: str, depth: int) -> Any:
    required = isinstance(type_, GraphQLNonNull)
    inner: Any = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    index = fill.index(path)
    if not required and not fill.plausible and index % 7 == 6:
        return None  # now and then, a nullable input is explicitly null
    if isinstance(inner, GraphQLList):
        count = 1 if fill.plausible else 2
        return [_value(inner.of_type, fill, f"{path}[{i}]", depth + 1) for i in range(count)]
    if isinstance(inner, GraphQLInputObjectType):
        if depth > 4:
            return _OMIT if not required else {}
        items = sorted(inner.fields.items())
        if inner.is_one_of:
            items = [items[index % len(items)]] if items else []
        value = {k: _value(f.type, fill, f"{path}.{k}", depth + 1) for k, f in items}
        return {k: v for k, v in value.items() if v is not _OMIT}
    if isinstance(inner, GraphQLEnumType):
        names = sorted(inner.values)
        return names[0 if fill.plausible else index % len(names)]
    assert isinstance(inner, GraphQLScalarType)
    if inner.name in ("String", "ID"):
        return _string(inner.name, fill, path, index)
    if inner.name == "Int":
        if fill.int_ is not None:
            return fill.int_
        return 1 if fill.plausible else INTS[index % len(INTS)]
    if inner.name == "Float":
        return 1.5 if fill.plausible else FLOATS[index % len(FLOATS)]
    if inner.name == "Boolean":
        return True if fill.plausible else index % 2 == 0
    if fill.custom_hostile:
        return HOSTILE_STRINGS[index % len(HOSTILE_STRINGS)] or "x"
    return VALID_CUSTOM.get(inner.name, "x")


def _string(scalar: str, fill: _Fill, path: str, index: int) -> str:
    if fill.string is not None:
        return fill.string
    if not fill.plausible:
        if scalar == "ID" and index % 5 == 4:
            return FIXED_UUID  # well-formed but unknown
        return HOSTILE_STRINGS[index % len(HOSTILE_STRINGS)]
    ordinal = fill.string_leaves
    fill.string_leaves += 1
    if fill.long_group is not None and ordinal // 2 == fill.long_group:
        return LONG
    if fill.hostile_leaf == ordinal:
        return HOSTILE_STRINGS[fill.rotation % len(HOSTILE_STRINGS)]
    return _plausible(scalar, path.rsplit(".", 1)[-1].split("[")[0], fill)


def _plausible(scalar: str, name: str, fill: _Fill) -> str:
    """A value that passes the usual checks for an input so named (a test heuristic)."""
    lowered = name.lower()
    fill.counter += 1
    if scalar == "ID" or lowered == "id" or lowered.endswith("id"):
        return FIXED_UUID
    for hint, value in PLAUSIBLE:
        if hint in lowered:
            if hint == "email":
                return f"abuse-{fill.rotation}-{fill.counter}@example.test"
            return value
    return "Plausible value"


def _leaf_kinds(definition: GraphQLField) -> set[str]:
    kinds: set[str] = set()
    seen: set[str] = set()
    stack: list[Any] = [arg.type for arg in definition.args.values()]
    while stack:
        named = get_named_type(stack.pop())
        if isinstance(named, GraphQLInputObjectType):
            if named.name not in seen:
                seen.add(named.name)
                stack.extend(f.type for f in named.fields.values())
        elif isinstance(named, GraphQLScalarType):
            kinds.add(
                "string"
                if named.name in ("String", "ID")
                else "int"
                if named.name == "Int"
                else "custom"
                if named.name not in BUILT_IN
                else "other"
            )
    return kinds


def _selection(type_: GraphQLOutputType, depth: int) -> str:
    """What to select on a result: every field without required arguments, two levels down,
    ``__typename`` everywhere, and ``userErrors { field message code }`` where there is one."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        if depth >= 2:
            return " { __typename }"
        members = " ".join(
            f"... on {member.name}{_selection(member, depth)}" for member in named.types
        )
        return f" {{ __typename {members} }}"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    parts = ["__typename"]
    for name, child in sorted(named.fields.items()):
        if any(is_required_argument(arg) for arg in child.args.values()):
            continue
        child_type = get_named_type(child.type)
        if is_leaf_type(child_type):
            parts.append(name)
        elif name == "userErrors":
            parts.append("userErrors { field message code }")
        elif depth < 2:
            parts.append(name + _selection(child.type, depth + 1))
    return " { " + " ".join(parts) + " }"
