"""Callers of the walk that hold a third-party application's token: one of the world's people,
with only some API scopes (domain/authz/api_scopes.py).

What such a caller may do is what the person may do (tests/authz/rules.py) *if* the token holds
every scope the document touches (schema/scopes.py: the root field's, and those of the nested
fields it selects); otherwise the answer is FORBIDDEN — before the object is even looked up, so
it says nothing about the object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLSchema, TypeInfo, TypeInfoVisitor, Visitor, parse, visit

from domain.authz.api_scopes import ApiScope
from schema.scopes import FIELD_SCOPES
from tests.authz.walk import FORBIDDEN, Outcome
from tests.authz.world import CA, CS, PS, TECH, Caller

OPENID = ("openid", "profile", "email", "offline_access")


@dataclass(frozen=True)
class ThirdParty:
    name: str
    acting_as: Caller
    scopes: frozenset[str]

    def __str__(self) -> str:
        return f"{self.name} (as {self.acting_as}, scopes {' '.join(sorted(self.scopes))})"

    @property
    def scope(self) -> str:
        return " ".join(sorted(self.scopes))

    def expected(self, base: Outcome, needed: frozenset[str]) -> Outcome:
        return base if needed <= self.scopes else FORBIDDEN


def _app(name: str, acting_as: Caller, *scopes: ApiScope) -> ThirdParty:
    return ThirdParty(name, acting_as, frozenset(OPENID) | {s.value for s in scopes})


THIRD_PARTIES = (
    # The finding: consent for "Know who you are" (and the other OpenID scopes) only.
    _app("third-party app, OpenID scopes only", CS),
    _app("third-party members app", CA, ApiScope.MEMBERS_READ, ApiScope.MEMBERS_WRITE),
    _app(
        "third-party device app",
        TECH,
        ApiScope.DEVICES_READ,
        ApiScope.DEVICES_WRITE,
        ApiScope.LICENSES_READ,
    ),
    _app(
        "third-party partner app",
        PS,
        ApiScope.ORGANIZATIONS_READ,
        ApiScope.PARTNERS_READ,
        ApiScope.PARTNERS_WRITE,
    ),
)


def required_scopes(schema: GraphQLSchema, document: str) -> frozenset[str]:
    """Every scope the fields of ``document`` need (schema/scopes.py)."""
    info = TypeInfo(schema)
    needed: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = info.get_parent_type()
            if parent is not None:
                scope = FIELD_SCOPES.get(f"{parent.name}.{node.name.value}")
                if scope is not None:
                    needed.add(scope.value)

    visit(parse(document), TypeInfoVisitor(info, Collect()))
    return frozenset(needed)
