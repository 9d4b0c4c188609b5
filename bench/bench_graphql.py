"""The GraphQL document pipeline (parse, limits, validation) against Strawberry's stock extensions.

Baseline, measured in the same run: what ``schema/root.py`` used before the guard — graphql-core's
parse with ``max_tokens`` and validation with Strawberry's depth and alias limiter rules, which are
new classes per request (so Strawberry's ValidationCache could never hit). Ours:
``schema.guard.Guard`` (limits first, then cached validation).

Three workloads: the same typical document again and again (what real clients send), a new
document every time (a cache-busting client), and a hostile document that repeats one field
hundreds of times (which graphql-core's overlapping-fields rule validates in quadratic time).
Prints per-document times and the ratio ours / baseline (below 1 is faster); the two sides run in
alternating slices of the same loop. Verdict: the same-document ratio, goal ≤ 1.0 (a cache hit
must never be slower than validating from scratch).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from graphql import parse, specified_rules, validate
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from api.root import build_guard, build_schema
from bench._verdict import verdict
from settings import Settings

TYPICAL = """
query Viewer($first: Int) {
  viewer { role user { id email firstName lastName } organization { id name type status }
           organizations { id name } }
  licenses(first: $first) { edges { cursor node { id status } } pageInfo { hasNextPage } }
}
"""
HOSTILE = "{" + " ".join(["viewer { role }"] * 330) + "}"


def _times(
    baseline: Callable[[int], Any], ours: Callable[[int], Any], rounds: int
) -> tuple[float, float]:
    """Seconds per document of each, measured in 10 alternating slices (the same machine)."""
    baseline(0)  # warm up
    ours(0)
    spent = [0.0, 0.0]
    slices = min(10, rounds)
    for number in range(slices):
        pair = [(0, baseline), (1, ours)]
        for side, fn in pair if number % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            for i in range(number, rounds, slices):
                fn(i)
            spent[side] += time.perf_counter() - started
    return spent[0] / rounds, spent[1] / rounds


def ours_errors(guard: Any, schema: Any, rules: Any, query: str) -> list[str]:
    found = guard.validate(schema, query, guard.parse(query), rules, None, {"first": 10})
    return [e.message for e in found]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    settings = Settings(database_url="sqlite+aiosqlite:///unused.db")
    strawberry_schema = build_schema(settings)
    schema = strawberry_schema._schema
    base_rules = tuple(specified_rules)
    guard = build_guard(settings)

    def stock(query: str) -> None:
        document = parse(query, max_tokens=settings.graphql_max_tokens)
        rules = (
            *base_rules,
            MaybeNullValidationRule,
            OneOfInputValidationRule,
            *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        )
        validate(schema, document, rules)

    def ours(query: str) -> None:
        document = guard.parse(query)
        guard.validate(schema, query, document, base_rules, None, {"first": 10})

    errors = ours_errors(guard, schema, base_rules, TYPICAL)
    if errors:  # the typical document must be a valid one, or we would time refusals
        print("the typical document does not validate:", errors)
        return 2
    rounds = 50 if quick else 500
    workloads = [
        ("same document", lambda i: TYPICAL, rounds),
        ("new document each time", lambda i: f"# {i}\n{TYPICAL}", rounds),
        ("hostile repeated field", lambda i: f"# {i}\n{HOSTILE}", max(3, rounds // 100)),
    ]
    status = 0
    for name, make, n in workloads:
        baseline, measured = _times(
            lambda i, make=make: stock(make(i)), lambda i, make=make: ours(make(i)), n
        )
        ratio = measured / baseline
        print(
            f"{name:26s} baseline {baseline * 1e3:8.3f} ms   ours {measured * 1e3:8.3f} ms   "
            f"ratio {ratio:6.3f}"
        )
        if name == "same document":
            status = verdict("graphql", "same document, ours ÷ baseline", ratio, 1.0, at_most=True)
    return status


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
