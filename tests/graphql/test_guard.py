"""The document guard in process: Strawberry's own validation rules still apply, and the parse and
validation caches behave."""

from __future__ import annotations

import strawberry

from api.root import build_schema
from settings import Settings


@strawberry.input(one_of=True)
class Pick:
    a: str | None = strawberry.UNSET
    b: str | None = strawberry.UNSET


@strawberry.type
class GuardQuery:
    @strawberry.field
    def pick(self, pick: Pick) -> str:
        return "a" if pick.a else "b"

    @strawberry.field
    def maybe(self, value: strawberry.Maybe[str] = None) -> str:
        return "absent" if value is None else value.value


def _schema() -> strawberry.Schema:
    return build_schema(
        Settings(database_url="sqlite+aiosqlite:///unused.db"), queries=[GuardQuery]
    )


async def test_strawberry_rules_for_maybe_and_one_of_inputs_still_apply() -> None:
    schema = _schema()
    ok = await schema.execute('{ pick(pick: { a: "x" }) maybe(value: "v") other: maybe }')
    assert ok.errors is None
    assert ok.data == {"pick": "a", "maybe": "v", "other": "absent"}
    for query in ('{ pick(pick: { a: "x", b: "y" }) }', "{ maybe(value: null) }"):
        result = await schema.execute(query)
        assert result.errors, query
        assert result.data is None
        assert {e.extensions["code"] for e in result.errors if e.extensions} == {
            "GRAPHQL_VALIDATION_FAILED"
        }


async def test_cached_validation_gives_the_same_answer() -> None:
    schema = _schema()
    for query in ("{ maybe(value: null) }", "{ nope }", '{ maybe(value: "x") }'):
        first = await schema.execute(query)
        second = await schema.execute(query)
        assert [e.formatted for e in first.errors or []] == [
            e.formatted for e in second.errors or []
        ]
        assert first.data == second.data


async def test_the_cached_limits_verdict_follows_the_variables() -> None:
    """The cost depends on page sizes given as variables: the same document is refused or let
    through by the values of each request, whatever was cached before (schema/guard.py)."""
    schema = build_schema(Settings(database_url="sqlite+aiosqlite:///unused.db"))
    document = (
        "query Nested($n: Int!) { devices(first: $n) { edges { node { id "
        "licenses { id devices(first: $n) { edges { node { id } } } } } } } }"
    )

    async def too_complex(n: int) -> bool:
        result = await schema.execute(document, variable_values={"n": n})
        codes = {(e.extensions or {}).get("code") for e in result.errors or []}
        return "QUERY_TOO_COMPLEX" in codes

    for _ in range(2):
        assert not await too_complex(1)
        assert await too_complex(100)
        assert not await too_complex(2)
