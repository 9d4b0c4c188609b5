"""Schema-driven abuse: every query and mutation field, hostile values in every argument and input
field, with and without a valid token (tests/graphql/abuse.py generates the requests from the live
schema, so new fields are covered automatically).

For every request: no 5xx, nothing masked ("Unexpected error."), no traceback or SQL; and the field
either returns data, a payload whose ``userErrors`` each have a ``code``, or GraphQL errors that
each have an ``extensions.code``. All problems are reported together, by field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import strawberry
from graphql import build_client_schema, build_schema, get_introspection_query, parse, validate

from api import root
from domain.enums import OrganizationType, Role
from runtime import Services
from settings import Settings
from tests.factories import Actor, create_actor
from tests.graphql.abuse import HOSTILE_STRINGS, LONG, MAX_LONG_REQUESTS, Probe, probes
from tests.support.server import LiveServer, serve

LEAKS = re.compile(
    r"traceback|unexpected error|internal_server_error|file \"/|sqlalchemy|asyncpg|psycopg"
    r"|sqlite3|background on this error|errno",
    re.IGNORECASE,
)


async def _schema(live: LiveServer) -> Any:
    response = await live.client.post("/graphql", json={"query": get_introspection_query()})
    body = response.json()
    assert "errors" not in body, body
    return build_client_schema(body["data"])


def _problems(probe: Probe, who: str, response: httpx.Response) -> list[str]:
    where = f"{probe.operation} {probe.field} [{probe.variant}, {who}]"
    if response.status_code >= 500:
        return [f"{where}: HTTP {response.status_code}: {response.text[:300]}"]
    if LEAKS.search(response.text):
        return [f"{where}: leaks or masks: {response.text[:300]}"]
    body = response.json()
    found: list[str] = []
    errors = body.get("errors") or []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        if not isinstance(code, str) or not code:
            found.append(f"{where}: error without extensions.code: {error}")
    data = body.get("data")
    result = data.get(probe.field) if isinstance(data, dict) else None
    if isinstance(result, dict) and "userErrors" in result:
        for user_error in result["userErrors"] or []:
            if not isinstance(user_error.get("code"), str) or not user_error["code"]:
                found.append(f"{where}: userError without code: {user_error}")
            if not isinstance(user_error.get("message"), str):
                found.append(f"{where}: userError without message: {user_error}")
    # A nullable field may answer null (e.g. an unknown id): that is data.
    if not errors and not (isinstance(data, dict) and probe.field in data):
        found.append(f"{where}: neither data nor errors: {response.text[:300]}")
    return found


async def abuse(live: LiveServer, services: Services) -> tuple[list[str], set[str]]:
    """Send every probe; return the problems found and the fields probed."""
    schema = await _schema(live)
    problems: list[str] = []
    current: tuple[str, str] | None = None
    actors: list[tuple[str, Actor | None]] = []
    fields: set[str] = set()
    for index, probe in enumerate(probes(schema)):
        fields.add(probe.field)
        if (probe.operation, probe.field) != current:
            # Fresh actors per field: a mutation may well change or remove what the last one
            # used. Requests alternate between no token and each actor (deterministically).
            current = (probe.operation, probe.field)
            actors = [
                ("no token", None),
                ("customer super admin", await create_actor(services, role=Role.SUPER_ADMIN)),
                ("internal admin", await create_actor(services, role=Role.INTERNAL_ADMIN)),
                (
                    "partner admin",
                    await create_actor(
                        services, role=Role.ADMIN, organization_type=OrganizationType.PARTNER
                    ),
                ),
            ]
        who, actor = actors[index % len(actors)]
        response = await live.client.post(
            "/graphql",
            content=json.dumps({"query": probe.query, "variables": probe.variables}),
            headers={"Content-Type": "application/json", **(actor.headers if actor else {})},
        )
        problems.extend(_problems(probe, who, response))
    return problems, fields


async def test_every_field_withstands_hostile_input(live: LiveServer, services: Services) -> None:
    problems, fields = await abuse(live, services)
    assert "viewer" in fields
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@strawberry.type
class BrittleQuery:
    @strawberry.field
    def brittle(self, name: str, count: int | None = None) -> str:
        if "'" in name:
            raise RuntimeError(f"SELECT * FROM users WHERE name = {name!r}")  # noqa: S608
        return "ok"


async def test_the_abuse_test_finds_a_brittle_field(
    settings: Settings, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same run against a schema whose one field fails on a quote: it must be reported.
    monkeypatch.setattr(root, "QUERIES", (BrittleQuery,))
    monkeypatch.setattr(root, "MUTATIONS", ())
    async with serve(settings, services) as live:
        problems, fields = await abuse(live, services)
    assert fields == {"brittle"}
    assert problems
    assert all(p.startswith("query brittle [") for p in problems), problems
    assert all("leaks or masks" in p for p in problems)


# --- the generator itself, on a schema with everything a future area might add --------------

RICH = """
directive @oneOf on INPUT_OBJECT
scalar DateTime
scalar UUID
scalar Mystery
enum Role { SUPER_ADMIN ADMIN USER }
input Address { street: String  lines: [String!]  country: String! }
input RegisterInput {
  name: String!  email: String!  age: Int  ratio: Float  accept: Boolean!  role: Role!
  address: Address  tags: [String!]!  at: DateTime  ref: UUID  odd: Mystery  nested: RegisterInput
}
input Target @oneOf { id: ID  email: String }
type UserError { field: [String!]  message: String!  code: String! }
type Payload { ok: Boolean!  userErrors: [UserError!]!  thing: Thing }
type Thing { id: ID!  name: String  parts(first: Int, after: String): PartConnection!  owner: Owner }
type PartConnection { edges: [PartEdge!]!  pageInfo: PageInfo! }
type PartEdge { node: Part!  cursor: String! }
type Part { id: ID!  secret(reason: String!): String }
type PageInfo { hasNextPage: Boolean! }
union Owner = Thing | Part
type Query { thing(id: ID!): Thing  things(first: Int, after: String, role: Role): PartConnection!
  hello: String  owner: Owner }
type Mutation { register(input: RegisterInput!): Payload!  remove(target: Target!, why: String): Payload!
  ping: Boolean }
"""


def test_the_generator_covers_every_field_with_valid_documents() -> None:
    schema = build_schema(RICH)
    generated = list(probes(schema))
    by_field: dict[str, list[Probe]] = {}
    for probe in generated:
        by_field.setdefault(probe.field, []).append(probe)
        errors = validate(schema, parse(probe.query))
        assert not errors, (probe.query, errors)
        # The body stays under the 256 KB limit even with the 100 KB string.
        assert len(json.dumps(probe.variables)) < 256 * 1024, (probe.field, probe.variant)
    assert set(by_field) == {"thing", "things", "hello", "owner", "register", "remove", "ping"}
    register = by_field["register"]
    variants = {p.variant for p in register}
    assert {"NUL", "unpaired surrogate", "hostile custom scalar"} <= variants
    assert {"int 2147483648", "int -2147483649"} <= variants
    # Every hostile string reaches every string leaf (here: `name`, a nested `street`, list
    # items), the 100 KB string included, and the payload's userErrors are selected.
    rotations = [p.variables["input"] for p in register if p.variant.startswith("rotation")]
    assert {v["name"] for v in rotations} == set(HOSTILE_STRINGS)
    streets = {v["address"].get("street") for v in rotations if v.get("address")}
    assert len(streets & set(HOSTILE_STRINGS)) >= len(HOSTILE_STRINGS) - 4  # some are null
    assert {t for v in rotations for t in v["tags"]} == set(HOSTILE_STRINGS)
    longs = [p.variables["input"] for p in register if p.variant.startswith("100 KB")]
    assert LONG in {v["name"] for v in longs}
    assert LONG in {v["email"] for v in longs}
    assert LONG in {s for v in longs for s in v["address"]["lines"]}
    assert all(list(_strings(v)).count(LONG) <= 2 for v in longs)
    # Plausible requests: valid-looking values and exactly one hostile string each.
    plausible = [p.variables["input"] for p in register if p.variant.startswith("plausible")]
    assert len(plausible) == len(HOSTILE_STRINGS)
    for value in plausible:
        assert sum(s in HOSTILE_STRINGS for s in _strings(value)) == 1, value
        assert value["accept"] is True
    assert "DE" in {v["address"]["country"] for v in plausible}
    emails = [v["email"] for v in plausible]
    assert all(e.endswith("@example.test") or e in HOSTILE_STRINGS for e in emails), emails
    assert len(set(emails)) == len(emails)  # unique: no per-recipient limit spoils the run
    assert "userErrors { field message code }" in register[0].query
    # A oneOf input gets exactly one field.
    assert all(len(p.variables["target"]) == 1 for p in by_field["remove"])
    # Fields without arguments need only a few requests; fields with arguments stay bounded.
    assert len(by_field["hello"]) <= 3
    bound = 2 * len(HOSTILE_STRINGS) + MAX_LONG_REQUESTS + 5
    assert all(len(v) <= bound for v in by_field.values())
    # Deterministic.
    assert [p.variables for p in probes(schema)] == [p.variables for p in generated]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
