"""Every query and mutation of the schema has a row in the authorization table (rules.py), and
every row names a field that exists: a new field cannot ship without saying who may call it."""

from __future__ import annotations

from tests.authz.rules import RULES
from tests.authz.walk import graphql_schema, root_fields


def test_every_root_field_has_a_rule() -> None:
    fields = root_fields(graphql_schema())
    missing = sorted(set(fields) - set(RULES))
    assert not missing, f"add a row to tests/authz/rules.py for: {missing}"


def test_every_rule_names_a_root_field() -> None:
    fields = root_fields(graphql_schema())
    stale = sorted(set(RULES) - set(fields))
    assert not stale, f"rows in tests/authz/rules.py for fields that no longer exist: {stale}"
