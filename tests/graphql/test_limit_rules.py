"""The static limits (schema/limits.py) measured on a small schema with lists and connections.

Pure functions: no server, no database. The limits over real HTTP are in test_limits.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from graphql import GraphQLError, build_schema, parse

from schema.limits import Limits, check_limits

SDL = """
type Query {
  viewer: Viewer
  things(first: Int, last: Int, after: String): ThingConnection!
  tags: [String!]!
}
type Mutation { doIt(input: String): Thing }
type Viewer { name: String  friends: [Viewer!]!  things(first: Int): ThingConnection! }
type ThingConnection { edges: [ThingEdge!]!  nodes: [Thing!]!  pageInfo: PageInfo! }
type ThingEdge { node: Thing!  cursor: String! }
type Thing { id: ID!  parts(first: Int): ThingConnection! }
type PageInfo { hasNextPage: Boolean! }
"""
SCHEMA = build_schema(SDL)
LIMITS = Limits(
    max_depth=8, max_aliases=5, max_cost=1000, max_page_size=100, max_operations=3, max_fragments=4
)
THINGS = "edges { node { id } } pageInfo { hasNextPage }"  # costs 5 per page item


def errors(
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    limits: Limits = LIMITS,
) -> list[GraphQLError]:
    return check_limits(
        SCHEMA, parse(query), limits, operation_name=operation_name, variables=variables
    )


def cost_of(query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> int:
    """The measured cost, read from the refusal under a limit of 0."""
    (error,) = errors(query, variables, limits=replace(LIMITS, max_cost=0), **kwargs)
    assert error.extensions is not None
    assert error.extensions["limit"] == "cost"
    actual = error.extensions["actual"]
    assert isinstance(actual, int)
    return actual


def only(found: list[GraphQLError]) -> dict[str, Any]:
    assert len(found) == 1, [e.message for e in found]
    extensions = dict(found[0].extensions or {})
    assert extensions["code"] == "QUERY_TOO_COMPLEX"
    assert found[0].message
    return extensions


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        ("{ viewer { name } }", None, 2),
        ("{ __typename }", None, 1),
        ("{ tags }", None, 1),
        # A list without pagination arguments counts as a full page.
        ("{ viewer { friends { name } } }", None, 1 + (1 + 100 * 1)),
        # A connection multiplies its selections by `first`; its edges are not counted twice.
        (f"{{ things(first: 10) {{ {THINGS} }} }}", None, 1 + 10 * 5),
        (f"{{ things(last: 7) {{ {THINGS} }} }}", None, 1 + 7 * 5),
        (f"{{ things(first: 3, last: 7) {{ {THINGS} }} }}", None, 1 + 7 * 5),
        (f"{{ things {{ {THINGS} }} }}", None, 1 + 100 * 5),
        (f"{{ things(first: 100000) {{ {THINGS} }} }}", None, 1 + 100 * 5),
        (f"{{ things(first: {'9' * 400}) {{ {THINGS} }} }}", None, 1 + 100 * 5),
        (f"{{ things(first: -5) {{ {THINGS} }} }}", None, 1),
        (f"query Q($n: Int) {{ things(first: $n) {{ {THINGS} }} }}", {"n": 4}, 1 + 4 * 5),
        (f"query Q($n: Int) {{ things(first: $n) {{ {THINGS} }} }}", {}, 1 + 100 * 5),
        (f"query Q($n: Int) {{ things(first: $n) {{ {THINGS} }} }}", {"n": "4"}, 1 + 4 * 5),
        (f"query Q($n: Int) {{ things(first: $n) {{ {THINGS} }} }}", {"n": True}, 1 + 100 * 5),
        (f"query Q($n: Int = 3) {{ things(first: $n) {{ {THINGS} }} }}", None, 1 + 3 * 5),
        (f"query Q($n: Int = 3) {{ things(first: $n) {{ {THINGS} }} }}", {"n": 2}, 1 + 2 * 5),
        ("{ things(first: 2) { nodes { id } } }", None, 1 + 2 * (1 + 1)),
        # Nested connections multiply.
        (
            "{ things(first: 10) { edges { node { parts(first: 10) { edges { node { id } } } } } } }",
            None,
            1 + 10 * (1 + (1 + (1 + 10 * (1 + (1 + 1))))),
        ),
        # Fragments and inline fragments cost what their fields cost.
        (f"{{ ...F }} fragment F on Query {{ things(first: 2) {{ {THINGS} }} }}", None, 11),
        (f"{{ ... on Query {{ things(first: 2) {{ {THINGS} }} }} }}", None, 11),
        (f"{{ a: things(first: 2) {{ {THINGS} }} b: things(first: 2) {{ {THINGS} }} }}", None, 22),
        ('mutation { doIt(input: "x") { id } }', None, 2),
        # Introspection is not counted (refused in production, needed by GraphiQL in development).
        ("{ __schema { types { fields { name } } } }", None, 1),
    ],
)
def test_cost(query: str, variables: dict[str, Any] | None, cost: int) -> None:
    assert cost_of(query, variables) == cost
    # Under the real limit the same documents pass.
    assert errors(query, variables) == []


def test_only_the_operation_that_runs_is_costed() -> None:
    document = f"query Cheap {{ viewer {{ name }} }} query Dear {{ things {{ {THINGS} }} }}"
    assert cost_of(document, operation_name="Cheap") == 2
    assert cost_of(document, operation_name="Dear") == 501


def test_cost_over_the_limit_is_refused() -> None:
    query = (
        "{ things(first: 50) { edges { node { parts(first: 50) { edges { node { id } } } } } } }"
    )
    extensions = only(errors(query))
    assert extensions["limit"] == "cost"
    assert extensions["maximum"] == 1000
    assert extensions["actual"] > 1000


def test_fragments_spread_into_fragments_are_measured_once() -> None:
    # 2**40 paths if walked naively; memoized it is 40 fragments.
    chain = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40)]
    query = "{ ...F0 } " + " ".join(chain) + " fragment F40 on Query { viewer { name } }"
    many = replace(LIMITS, max_fragments=100)
    extensions = only(errors(query, limits=many))
    assert extensions["limit"] == "cost"
    aliased = "{ ...F0 } " + " ".join(chain) + " fragment F40 on Query { a: viewer { name } }"
    assert only(errors(aliased, limits=many))["limit"] == "aliases"


def test_depth() -> None:
    def nested(levels: int) -> str:
        return "{ " + "viewer { " * (levels - 1) + "name" + " }" * levels

    assert errors(nested(8)) == []
    extensions = only(errors(nested(9)))
    assert (extensions["limit"], extensions["maximum"], extensions["actual"]) == ("depth", 8, 9)
    # Through fragments, and regardless of what the schema knows.
    via_fragments = "{ a { ...F } } fragment F on X { b { c { d { e { f { g { h { i } } } } } } } }"
    assert only(errors(via_fragments))["actual"] == 9
    # Inline fragments add no depth; introspection is not counted.
    assert errors("{ ... on Query { ... on Query { viewer { name } } } }") == []
    assert (
        errors(
            "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }"
        )
        == []
    )


def test_aliases() -> None:
    five = " ".join(f"a{i}: __typename" for i in range(5))
    assert errors(f"{{ {five} }}") == []
    extensions = only(errors(f"{{ {five} b: __typename }}"))
    assert (extensions["limit"], extensions["actual"]) == ("aliases", 6)
    # Counted for every place a fragment is spread.
    fragment = "fragment F on Viewer { a: name b: name }"
    assert errors(f"{{ viewer {{ ...F }} v: viewer {{ ...F }} }} {fragment}") == []
    thrice = f"{{ viewer {{ ...F }} v: viewer {{ ...F }} w: viewer {{ ...F }} }} {fragment}"
    assert only(errors(thrice))["actual"] == 2 + 3 * 2


def test_operations_and_fragments_are_counted() -> None:
    ops = " ".join(f"query Q{i} {{ __typename }}" for i in range(4))
    extensions = only(errors(ops, operation_name="Q0"))
    assert (extensions["limit"], extensions["actual"]) == ("operations", 4)
    fragments = " ".join(f"fragment F{i} on Query {{ __typename }}" for i in range(5))
    extensions = only(errors("{ __typename } " + fragments))
    assert (extensions["limit"], extensions["actual"]) == ("fragments", 5)


def test_a_field_repeated_in_one_selection_set() -> None:
    ten = " ".join(["viewer { name }"] * 10)
    assert errors(f"{{ {ten} }}") == []
    extensions = only(errors(f"{{ {ten} ... on Query {{ viewer {{ name }} }} }}"))
    assert (extensions["limit"], extensions["actual"]) == ("repeats", 11)
    # Leaves are cheap to merge and not counted.
    assert errors("{ viewer { " + "name " * 50 + "} }") == []


def test_fragment_cycles_do_not_hang() -> None:
    # Validation reports the cycle; the limits must simply terminate.
    assert errors("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }") == []
