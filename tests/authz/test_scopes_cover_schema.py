"""Every query and mutation declares the API scope it needs (schema/scopes.py), every declaration
names a field that exists, and the public forms (no scope) reach no one's data: a new field
cannot ship without saying which third-party token may call it."""

from __future__ import annotations

from graphql import GraphQLObjectType, get_named_type

from schema.scopes import FIELD_SCOPES, PUBLIC
from tests.authz.walk import graphql_schema, root_fields


def test_every_root_field_declares_its_scope() -> None:
    schema = graphql_schema()
    roots = {
        f"{'Query' if operation == 'query' else 'Mutation'}.{name}"
        for name, (operation, _) in root_fields(schema).items()
    }
    missing = sorted(roots - set(FIELD_SCOPES))
    assert not missing, f"declare the API scope of these fields in schema/scopes.py: {missing}"


def test_every_declaration_names_a_field() -> None:
    schema = graphql_schema()
    stale = []
    for key in FIELD_SCOPES:
        type_name, _, field_name = key.partition(".")
        named = schema.type_map.get(type_name)
        if not isinstance(named, GraphQLObjectType) or field_name not in named.fields:
            stale.append(key)
    assert not stale, f"schema/scopes.py declares fields that do not exist: {stale}"


def test_public_forms_answer_with_payloads_only() -> None:
    """A field without a scope is answered to any token: it must not lead to any object but its
    payload and its userErrors."""
    schema = graphql_schema()
    leaks = []
    for key, scope in FIELD_SCOPES.items():
        if scope is not PUBLIC:
            continue
        type_name, _, field_name = key.partition(".")
        root = schema.type_map[type_name]
        assert isinstance(root, GraphQLObjectType)
        payload = get_named_type(root.fields[field_name].type)
        assert isinstance(payload, GraphQLObjectType), key
        for name, f in payload.fields.items():
            inner = get_named_type(f.type)
            if isinstance(inner, GraphQLObjectType) and inner.name != "UserError":
                leaks.append(f"{key} → {payload.name}.{name}: {inner.name}")
    assert not leaks, f"public fields reaching objects: {leaks}"
