"""Calling every root field generated from the schema, and judging the answers.

The document for a root field is built from the schema: its arguments are declared from the
field's own argument types, and its selection takes every leaf field (and, a few levels down,
every object field) that needs no argument, so that whatever a caller may read through the
payload is read — and compared, for the "looks missing" check.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined

from api.root import build_schema
from settings import Settings


@functools.cache
def graphql_schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def root_fields(schema: GraphQLSchema) -> dict[str, tuple[str, GraphQLField]]:
    """Every query and mutation: name -> (operation type, field)."""
    fields: dict[str, tuple[str, GraphQLField]] = {}
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        if root is None:
            continue
        for name, f in root.fields.items():
            assert name not in fields, f"{name} is both a query and a mutation"
            fields[name] = (operation, f)
    return fields


def _selectable(f: GraphQLField) -> bool:
    return not any(
        is_non_null_type(a.type) and a.default_value is Undefined for a in f.args.values()
    )


# ``Organization``'s edges are their root twins' resolvers (Query.devices …), walked there; selected
# under every Organization they would multiply the walk's documents past the cost limit.
ORGANIZATION_EDGES = frozenset(
    {
        "locations",
        "devices",
        "members",
        "licenses",
        "supportPartner",
        "partnerInvitations",
        "auditEvents",
    }
)


def selection(type_: Any, depth: int) -> str:
    """Every argument-free leaf of ``type_``; object fields while ``depth`` lasts."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType) or not isinstance(named, GraphQLObjectType):
        return "{ __typename }"
    parts = ["__typename"]
    for name, f in named.fields.items():
        if not _selectable(f) or (named.name == "Organization" and name in ORGANIZATION_EDGES):
            continue
        inner = get_named_type(f.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth > 1:
            parts.append(f"{name} {selection(f.type, depth - 1)}")
    return "{ " + " ".join(parts) + " }"


def document(name: str, operation: str, f: GraphQLField, variables: dict[str, Any]) -> str:
    unknown = set(variables) - set(f.args)
    assert not unknown, f"{name} has no arguments {unknown}"
    declared = ", ".join(f"${a}: {f.args[a].type}" for a in variables)
    passed = ", ".join(f"{a}: ${a}" for a in variables)
    head = f"{operation}({declared})" if declared else operation
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call} {selection(f.type, 3)} }}"


# --- outcomes ------------------------------------------------------------------------------------


class Kind(StrEnum):
    ALLOWED = "allowed"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    MISSING = "looks missing"
    USER_ERROR = "userError"


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    code: str | None = None  # the userError's code, for USER_ERROR

    def __str__(self) -> str:
        return f"{self.kind.value} {self.code}" if self.code else self.kind.value


ALLOWED = Outcome(Kind.ALLOWED)
FORBIDDEN = Outcome(Kind.FORBIDDEN)
UNAUTHENTICATED = Outcome(Kind.UNAUTHENTICATED)
MISSING = Outcome(Kind.MISSING)


def user_error(code: str) -> Outcome:
    return Outcome(Kind.USER_ERROR, code)


def _error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


def _user_error_codes(value: Any) -> list[str] | None:
    if isinstance(value, dict) and "userErrors" in value:
        return [e["code"] for e in value["userErrors"]]
    return None


def judge(name: str, body: dict[str, Any]) -> Outcome | str:
    """What the answer was (a description when it is none of the outcomes)."""
    codes = _error_codes(body)
    value = (body.get("data") or {}).get(name)
    if codes:
        if codes == ["FORBIDDEN"] and value is None:
            return FORBIDDEN
        if codes == ["UNAUTHENTICATED"] and value is None:
            return UNAUTHENTICATED
        if set(codes) == {"NOT_FOUND"} and value is None:
            return MISSING
        return f"errors {codes}"
    if value is None:
        return MISSING  # a single-object query answering null
    user_errors = _user_error_codes(value)
    if user_errors:
        if set(user_errors) == {"NOT_FOUND"}:
            return MISSING
        if len(user_errors) == 1:
            return user_error(user_errors[0])
        return f"userErrors {user_errors}"
    return ALLOWED


# --- "exactly like a missing id" -----------------------------------------------------------------


def ids_in(value: Any) -> list[str]:
    """Every string in the variables that is a UUID: the objects the call names."""
    if isinstance(value, str):
        try:
            uuid.UUID(value)
        except ValueError:
            return []
        return [value]
    if isinstance(value, dict):
        return [i for v in value.values() for i in ids_in(v)]
    if isinstance(value, list):
        return [i for v in value for i in ids_in(v)]
    return []


def replaced(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        return replacements.get(value, value)
    if isinstance(value, dict):
        return {k: replaced(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [replaced(v, replacements) for v in value]
    return value


def missing_variants(variables: dict[str, Any]) -> list[dict[str, Any]]:
    """The variables with every named object replaced by one that never existed: a random UUID,
    and a string that is no UUID at all."""
    ids = sorted(set(ids_in(variables)))
    assert ids, "a call that names no object cannot look missing"
    return [
        replaced(variables, {i: str(uuid.uuid4()) for i in ids}),
        replaced(variables, {i: f"not-an-id-{n}" for n, i in enumerate(ids)}),
    ]


def comparable(body: dict[str, Any]) -> dict[str, Any]:
    """What a client reads, without what differs between any two calls (error ids)."""
    errors = body.get("errors")
    if not errors:
        return body
    return {
        **body,
        "errors": [
            {"message": e["message"], "path": e.get("path"), "code": e["extensions"].get("code")}
            for e in errors
        ],
    }
